// Runs in workerd before each test file: the same migration registry as `npm start`, over kysely-d1.
import { env } from 'cloudflare:workers'
import { d1Store } from '../../src/storage/d1'
import { migrateToLatest } from '../../src/storage/migrator'

await migrateToLatest(d1Store(env.DB).db)
