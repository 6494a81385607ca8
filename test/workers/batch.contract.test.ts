import { env } from 'cloudflare:workers'
import type { R2Bucket } from '@cloudflare/workers-types'
import { d1Store } from '../../src/storage/d1'
import { r2ChunkBodies } from '../../src/storage/r2'
import { batchContract } from '../contract/batch-contract'

batchContract('D1 (bodies in R2)', async () => ({
  store: d1Store(env.DB),
  bodies: r2ChunkBodies(env.BATCHES as unknown as R2Bucket),
}))
