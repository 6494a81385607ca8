import { migrateToLatest } from '../../src/storage/migrator'
import { openSqliteStore } from '../../src/storage/sqlite'
import { storageContract } from './storage-contract'
import { webhookContract } from './webhook-contract'

async function openStore() {
  const store = openSqliteStore(':memory:')
  await migrateToLatest(store.db)
  return store
}

storageContract('better-sqlite3', openStore)
webhookContract('better-sqlite3', openStore)
