import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { d1Store } from '../../src/storage/d1'
import { storagePorts } from '../../src/storage/index'

describe('the health probe on D1', () => {
  it('fails on a D1 without the schema, naming it, and passes on the migrated one', async () => {
    await expect(storagePorts(d1Store(env.UNMIGRATED_DB)).health.ping()).rejects.toThrow(
      /schema is missing/,
    )
    await expect(storagePorts(d1Store(env.DB)).health.ping()).resolves.toBeUndefined()
  })
})
