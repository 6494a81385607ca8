/**
 * @module runtime/logger
 * JSON lines on stdout (info) and stderr (error), one object per line.
 */
import type { Logger } from '../core/ports'

/**
 * One JSON line, whatever `REQUEST_LOG` says: process events (a server process or check thread that
 * died, health turning bad) are what an operator needs when request lines are off.
 */
export function logEvent(level: 'info' | 'error', fields: Record<string, unknown>): void {
  const line = JSON.stringify({ level, time: new Date().toISOString(), ...fields })
  if (level === 'error') console.error(line)
  else console.log(line)
}

export function jsonLogger(opts: { requests: boolean } = { requests: true }): Logger {
  return {
    info: (fields) => {
      if (opts.requests) logEvent('info', fields)
    },
    error: (fields) => logEvent('error', fields),
  }
}

/** Always prints, info included: for the runtime's own events, not per-request lines. */
export const eventLogger: Logger = {
  info: (fields) => logEvent('info', fields),
  error: (fields) => logEvent('error', fields),
}
