/**
 * Applies the migrations to the SQLite database at DATABASE_PATH (default var/dualuse.db).
 * `npm run migrate`. For D1, see docs/http.md ("Workers + D1").
 */
import { DEFAULT_DATABASE_PATH } from '../src/runtime/node-store'
import { migrateToLatest } from '../src/storage/migrator'
import { openSqliteStore } from '../src/storage/sqlite'

const path = process.env['DATABASE_PATH'] || DEFAULT_DATABASE_PATH
const store = openSqliteStore(path)
const results = await migrateToLatest(store.db)
await store.close()
console.log(JSON.stringify({ database: path, applied: results.map((r) => r.migrationName) }))
