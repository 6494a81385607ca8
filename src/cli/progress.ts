/**
 * @module cli/progress
 * The batch progress bar: on stderr, only on a terminal, redrawn at most ten times a second.
 */
import type { Writable } from 'node:stream'

const REDRAW_MS = 100
const BAR_WIDTH = 24

export type Progress = { update(done: number): void; finish(): void }

export function createProgress(
  stderr: Writable,
  enabled: boolean,
  total: number | undefined,
  startedAt: number,
): Progress {
  let lastDraw = 0
  let drawn = false
  if (!enabled) return { update: () => {}, finish: () => {} }
  return {
    update(done) {
      const now = performance.now()
      if (now - lastDraw < REDRAW_MS) return
      lastDraw = now
      const rate = done / Math.max((now - startedAt) / 1000, 0.001)
      const share = total ? Math.min(done / total, 1) : null
      const bar =
        share === null
          ? ''
          : `[${'#'.repeat(Math.round(share * BAR_WIDTH)).padEnd(BAR_WIDTH, '.')}] ${Math.floor(share * 100)}% `
      const count = total ? `${fmt(done)}/${fmt(total)}` : fmt(done)
      stderr.write(`\r\x1b[K${bar}${count} rows  ${fmt(Math.round(rate))} rows/s`)
      drawn = true
    },
    finish() {
      if (drawn) stderr.write('\r\x1b[K')
    },
  }
}

export function fmt(n: number): string {
  return n.toLocaleString('en-US')
}
