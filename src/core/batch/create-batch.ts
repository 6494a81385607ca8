/**
 * @module core/batch/create-batch
 * The upload verb of the HTTP batch: reads a body through the shared reader and stores its rows in
 * chunks as they arrive (never the whole file in memory), then seals the batch for the runner.
 */

import { parseCheckRequest } from '../check-goods'
import type { Deps } from '../deps'
import { AppError } from '../errors'
import { sha256Hex } from '../hash'
import { recordBatchScreening } from '../lists/batch-screening'
import type { StoredBatch } from '../ports'
import { type BatchFormat, type BatchRow, type RowDefaults, readBatchRows } from './read-rows'

/** Rows per stored chunk: the unit of storage, of checking and of progress. */
export const BATCH_CHUNK_ROWS = 500

/** A claim older than this with no batch belongs to an upload that died; it may be taken over. */
const STALE_CLAIM_MS = 15 * 60_000

export type CreateBatchInput = {
  tenantId: string
  body: AsyncIterable<Uint8Array | string>
  format: BatchFormat
  defaults: RowDefaults
  /** The declared Content-Length, when there is one: refused up front if over the limit. */
  contentLength?: number
  idempotencyKey?: string
  /** What the uploader calls the batch (the file's name, or one given); stored and listed with it. */
  name?: string | null
}

/**
 * Stores an uploaded batch file and queues it, recording the tenant's screening context in effect at
 * the seal (its rows are all checked with it: `lists/batch-screening.ts`).
 * Throws `AppError`: NOT_IMPLEMENTED where the runtime has no batches; PAYLOAD_TOO_LARGE over
 * `limits.maxBytes` or `limits.maxRows`; INVALID_INPUT for a file that cannot be a batch (empty,
 * binary, no header, no rows); the Idempotency-Key errors of checks. On any throw nothing of the
 * upload stays stored. With an Idempotency-Key already answered for the same file, returns that
 * batch (`replayed`) and drops the new copy.
 */
export async function createBatch(
  deps: Pick<Deps, 'batches' | 'idempotency' | 'clock' | 'screening'>,
  input: CreateBatchInput,
): Promise<{ batch: StoredBatch; replayed: boolean }> {
  const batches = deps.batches
  if (!batches)
    throw new AppError('NOT_IMPLEMENTED', 'batches over HTTP are not available on this runtime yet')
  const { repo, limits } = batches
  if (input.contentLength !== undefined && input.contentLength > limits.maxBytes)
    throw tooLarge(`the file is over ${limits.maxBytes} bytes`)

  const now = deps.clock.now()
  const id = batches.newId()
  await repo.open({
    id,
    tenantId: input.tenantId,
    format: input.format,
    createdAt: now.toISOString(),
    name: input.name ?? null,
  })
  let total = 0
  let seq = 0
  const chunkHashes: string[] = []
  try {
    let chunk: BatchRow[] = []
    const append = async () => {
      const json = JSON.stringify(chunk)
      if (input.idempotencyKey !== undefined) chunkHashes.push(await sha256Hex(json))
      await repo.appendChunk(id, seq++, chunk.length, json)
      chunk = []
    }
    for await (const row of readBatchRows(countBytes(input.body, limits.maxBytes), {
      format: input.format,
      defaults: input.defaults,
    })) {
      total++
      if (total > limits.maxRows) throw tooLarge(`the file has over ${limits.maxRows} rows`)
      chunk.push(row)
      if (chunk.length === BATCH_CHUNK_ROWS) await append()
    }
    if (chunk.length > 0) await append()
    if (total === 0)
      throw new AppError(
        'INVALID_INPUT',
        input.format === 'csv'
          ? 'the file has a header but no rows'
          : 'the file has no rows: JSON Lines has one JSON object per line',
      )
  } catch (err) {
    await repo.discard(id).catch(() => {})
    throw err
  }

  const key = input.idempotencyKey
  if (key !== undefined) {
    // The name is part of the request (a retry names the batch the same way); appended only when
    // given, so an unnamed upload hashes as it did before batches had names.
    const named = input.name ? `\nname ${JSON.stringify(input.name)}` : ''
    const hash = await sha256Hex(
      `batch\n${input.format}\n${JSON.stringify(sortedDefaults(input.defaults))}\n${chunkHashes.join('\n')}${named}`,
    )
    const claim = await deps.idempotency.claim(
      input.tenantId,
      key,
      hash,
      now.toISOString(),
      new Date(now.getTime() - STALE_CLAIM_MS).toISOString(),
    )
    if (claim.state !== 'claimed') {
      await repo.discard(id).catch(() => {})
      if (claim.state === 'mismatch')
        throw new AppError(
          'UNPROCESSABLE',
          'this Idempotency-Key was already used with a different request body',
        )
      if (claim.state === 'in_flight')
        throw new AppError(
          'CONFLICT',
          'a request with this Idempotency-Key is still in flight; retry later',
        )
      const earlier = await repo.get(input.tenantId, claim.checkId)
      if (!earlier)
        throw new AppError(
          'CONFLICT',
          `the batch this Idempotency-Key created (${claim.checkId}) was deleted`,
        )
      return { batch: earlier, replayed: true }
    }
  }
  try {
    const screening = deps.screening
      ? await recordBatchScreening(deps.screening, input.tenantId, deps.clock.now().toISOString())
      : null
    await repo.seal(id, input.tenantId, total, key, screening)
    // A batch sealed but never queued would stay `queued` for ever: refuse the upload instead.
    await batches.queue.enqueue(id, seq)
  } catch (err) {
    if (key !== undefined) await deps.idempotency.release(input.tenantId, key).catch(() => {})
    await repo.discard(id).catch(() => {})
    throw err
  }
  const batch = await repo.get(input.tenantId, id)
  if (!batch) throw new AppError('INTERNAL', `batch ${id} vanished after it was stored`)
  return { batch, replayed: false }
}

function tooLarge(what: string): AppError {
  return new AppError(
    'PAYLOAD_TOO_LARGE',
    `${what}: split it into several batches (limits: docs/batch.md, "Over HTTP")`,
  )
}

function sortedDefaults(defaults: RowDefaults): [string, string][] {
  return Object.entries(defaults)
    .filter((e): e is [string, string] => typeof e[1] === 'string')
    .sort(([a], [b]) => (a < b ? -1 : 1))
}

/** The body, counted as it streams: past `maxBytes` the upload stops with PAYLOAD_TOO_LARGE. */
async function* countBytes(
  body: AsyncIterable<Uint8Array | string>,
  maxBytes: number,
): AsyncGenerator<Uint8Array | string> {
  let seen = 0
  for await (const chunk of body) {
    seen += typeof chunk === 'string' ? chunk.length : chunk.byteLength
    if (seen > maxBytes) throw tooLarge(`the file is over ${maxBytes} bytes`)
    yield chunk
  }
}

/**
 * Validates the default fields for rows that name none (HTTP query parameters), as a check would.
 * @throws AppError INVALID_INPUT with pointers `${prefix}/<field>`.
 */
export function parseRowDefaults(raw: RowDefaults, prefix = '/query'): RowDefaults {
  const given = Object.entries(raw).filter(([, v]) => v !== undefined && v !== '')
  if (given.length === 0) return {}
  try {
    const parsed = parseCheckRequest({
      description: 'defaults',
      destination: raw.destination ?? 'KZ',
      ...(raw.regime ? { regime: raw.regime.toUpperCase() } : {}),
      ...(raw.origin ? { origin: raw.origin } : {}),
      ...(raw.final_destination ? { final_destination: raw.final_destination } : {}),
    })
    const out: RowDefaults = {}
    if (raw.destination) out.destination = parsed.destination
    if (raw.regime) out.regime = parsed.regime
    if (raw.origin && parsed.origin) out.origin = parsed.origin
    if (raw.final_destination && parsed.final_destination)
      out.final_destination = parsed.final_destination
    return out
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    const details = err.details.map((d) => ({
      pointer: `${prefix}${d.pointer}`,
      message: d.message,
    }))
    throw new AppError(
      'INVALID_INPUT',
      details.map((d) => `${d.pointer}: ${d.message}`).join('; ') || err.message,
      { details },
    )
  }
}
