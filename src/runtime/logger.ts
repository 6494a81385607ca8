/**
 * @module runtime/logger
 * JSON lines on stdout (info) and stderr (error), one object per line.
 */
import type { Logger } from '../core/ports'

export function jsonLogger(opts: { requests: boolean } = { requests: true }): Logger {
  return {
    info: (fields) => {
      if (opts.requests)
        console.log(JSON.stringify({ level: 'info', time: new Date().toISOString(), ...fields }))
    },
    error: (fields) =>
      console.error(JSON.stringify({ level: 'error', time: new Date().toISOString(), ...fields })),
  }
}
