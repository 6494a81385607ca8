import { env } from 'cloudflare:workers'
import { d1Store } from '../../src/storage/d1'
import { storageContract } from '../contract/storage-contract'
import { webhookContract } from '../contract/webhook-contract'

storageContract('D1', async () => d1Store(env.DB))
webhookContract('D1', async () => d1Store(env.DB))
