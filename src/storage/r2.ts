/**
 * @module storage/r2
 * Batch chunk bodies in Cloudflare R2 (Workers): `batches/<batchId>/<seq>.rows.json.gz` (the chunk's
 * rows, a JSON array) and `batches/<batchId>/<seq>.results.jsonl.gz` (its results, JSON Lines). Keys
 * name the batch, not the tenant: every read is reached through a D1 lookup scoped to the tenant, and
 * batch ids are unique. Worker-safe (no `node:*`).
 */
import type { R2Bucket } from '@cloudflare/workers-types'
import { AppError } from '../core/errors'
import type { ChunkBodyKind, ChunkBodyStore } from './chunk-bodies'

const EXTENSION: Record<ChunkBodyKind, string> = {
  rows: 'rows.json.gz',
  results: 'results.jsonl.gz',
}

/** R2 deletes at most 1,000 keys per call, and lists at most 1,000 per page. */
const R2_PAGE = 1000

function batchPrefix(batchId: string): string {
  return `batches/${batchId}/`
}

export function chunkBodyKey(batchId: string, seq: number, kind: ChunkBodyKind): string {
  return `${batchPrefix(batchId)}${seq}.${EXTENSION[kind]}`
}

export function r2ChunkBodies(bucket: R2Bucket): ChunkBodyStore {
  return {
    async put(batchId, seq, kind, gz) {
      // If-None-Match: * — an object already there (an earlier try of this chunk) is kept as it is.
      await bucket.put(chunkBodyKey(batchId, seq, kind), gz, {
        onlyIf: { etagDoesNotMatch: '*' },
        httpMetadata: { contentType: 'application/gzip' },
      })
    },
    async get(batchId, seq, kind) {
      const key = chunkBodyKey(batchId, seq, kind)
      const object = await bucket.get(key)
      if (!object) throw new AppError('DATA_INVALID', `batch chunk body ${key} is missing from R2`)
      return new Uint8Array(await object.arrayBuffer())
    },
    async deleteBatch(batchId) {
      const prefix = batchPrefix(batchId)
      let cursor: string | undefined
      do {
        const page = await bucket.list({ prefix, limit: R2_PAGE, cursor })
        if (page.objects.length > 0) await bucket.delete(page.objects.map((o) => o.key))
        cursor = page.truncated ? page.cursor : undefined
      } while (cursor !== undefined)
    },
  }
}
