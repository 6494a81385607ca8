/**
 * `npm run bench`: every bench in turn, each in its own process so none warms or loads another.
 * Extra arguments go to each bench (e.g. `npm run bench -- --runs 1`).
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BENCHES = ['bench/classifier.ts', 'bench/batch.ts', 'bench/http-checks.ts']

let failed = 0
for (const bench of BENCHES) {
  if (!existsSync(`${ROOT}${bench}`)) continue
  console.log(`\n== ${bench}`)
  const run = spawnSync(process.execPath, ['--import', 'tsx', bench, ...process.argv.slice(2)], {
    cwd: ROOT,
    stdio: 'inherit',
  })
  if (run.status !== 0) failed++
}
process.exitCode = failed > 0 ? 1 : 0
