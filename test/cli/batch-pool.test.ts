import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { afterAll, describe, expect, it } from 'vitest'
import { inProcessRunner, workerRunner } from '../../src/cli/batch-pool'
import type { InputRow } from '../../src/cli/batch-rows'
import { readEngine } from '../../src/runtime/catalogue-file'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'dualuse-batch-pool-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const rows: InputRow[] = [
  {
    line: 2,
    reference: 'P-1',
    input: { description: 'SKF 6205-2RS deep groove ball bearing', destination: 'RU' },
  },
  {
    line: 3,
    reference: 'P-2',
    input: { description: 'wooden dining chair, oak', destination: 'KZ' },
  },
  { line: 4, reference: 'P-3', input: { description: 'ball bearing', destination: 'XX' } },
]

/**
 * The CLI's bundle as bin/dualuse.js builds it (the same entry, format, externals, banner and the
 * define that tells it its own file); import.meta.url is given one module's URL, which is all the
 * worker side needs (its catalogue path comes in its init).
 */
async function buildCliBundle(): Promise<string> {
  const outfile = join(dir, 'cli.cjs')
  await build({
    entryPoints: [join(ROOT, 'src/cli/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'error',
    external: ['better-sqlite3', 'esbuild'],
    define: {
      DUALUSE_CLI_BUNDLE: '__filename',
      'import.meta.url': JSON.stringify(pathToFileURL(join(ROOT, 'src/cli/batch-pool.ts')).href),
    },
    banner: {
      js: `'use strict';\nrequire = require('node:module').createRequire(${JSON.stringify(join(ROOT, 'package.json'))});`,
    },
  })
  return outfile
}

describe('a batch worker started from the CLI bundle', () => {
  it('serves chunks as the in-process runner checks them (and runs no command of its own)', async () => {
    const bundle = await buildCliBundle()
    const options = { format: 'csv' as const }
    const worker = workerRunner(join(ROOT, 'data/build/catalogue.json'), options, undefined, bundle)
    try {
      await worker.ready
      expect(worker.isReady()).toBe(true)
      const fromWorker = await worker.run(rows)
      const local = await inProcessRunner(readEngine(), options).run(rows)
      expect(new TextDecoder().decode(fromWorker.output)).toBe(
        new TextDecoder().decode(local.output),
      )
      expect(fromWorker.tally).toEqual(local.tally)
      expect(fromWorker.tally.error).toBe(1)
    } finally {
      await worker.close()
    }
  }, 60_000)
})
