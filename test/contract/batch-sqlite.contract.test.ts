import { migrateToLatest } from '../../src/storage/migrator'
import { openSqliteStore } from '../../src/storage/sqlite'
import { batchContract } from './batch-contract'

batchContract('better-sqlite3 (bodies in the rows)', async () => {
  const store = openSqliteStore(':memory:')
  await migrateToLatest(store.db)
  return { store }
})
