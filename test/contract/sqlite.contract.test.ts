import { migrateToLatest } from '../../src/storage/migrator'
import { openSqliteStore } from '../../src/storage/sqlite'
import { storageContract } from './storage-contract'

storageContract('better-sqlite3', async () => {
  const store = openSqliteStore(':memory:')
  await migrateToLatest(store.db)
  return store
})
