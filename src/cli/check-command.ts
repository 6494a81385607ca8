/**
 * @module cli/check-command
 * `dualuse check "<description>" --to CC …`: one line, checked in-process, printed for a person or as
 * the full JSON result.
 */
import { checkGoods, parseCheckRequest } from '../core/check-goods'
import { AppError } from '../core/errors'
import { readEngine } from '../runtime/catalogue-file'
import { parseCommandArgs, splitList } from './args'
import { formatResult } from './format-result'
import type { CliIo } from './io'
import { UsageError } from './usage-error'

export const CHECK_USAGE = `Usage: dualuse check "<description>" --to CC [options]

Checks one goods line and prints the verdict with its reasons.

Options:
  --to CC            destination country (ISO 3166-1 alpha-2), required
  --origin CC        country of origin
  --hs CODE          declared HS / TN VED code, e.g. 8482.10
  --final CC         final destination, if not the destination
  --transit CC,CC    transit countries
  --regime R         KZ (default), EU, US or UK
  --reference REF    your reference, echoed in the result
  --json             print the full result as JSON
  -h, --help         show this help`

const OPTIONS = {
  to: { type: 'string' },
  origin: { type: 'string' },
  hs: { type: 'string' },
  final: { type: 'string' },
  transit: { type: 'string' },
  regime: { type: 'string' },
  reference: { type: 'string' },
  json: { type: 'boolean' },
} as const

/** The flag a person typed for each request field, so errors name what they can fix. */
const FLAG_OF: Record<string, string> = {
  description: 'description',
  destination: '--to',
  origin: '--origin',
  hs_code: '--hs',
  final_destination: '--final',
  transit: '--transit',
  regime: '--regime',
  reference: '--reference',
}

export async function runCheckCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS, CHECK_USAGE)
  if (values.help) {
    io.stdout.write(`${CHECK_USAGE}\n`)
    return 0
  }
  if (positionals.length === 0)
    throw new UsageError(
      'check needs a description, e.g. check "ball bearing" --to RU',
      CHECK_USAGE,
    )
  if (values.to === undefined)
    throw new UsageError('check needs a destination: --to CC (e.g. --to RU)', CHECK_USAGE)

  const raw = {
    // Unquoted words (check ball bearing --to RU) arrive as several positionals: one description.
    description: positionals.join(' '),
    destination: values.to,
    origin: values.origin,
    hs_code: values.hs,
    final_destination: values.final,
    transit: splitList(values.transit),
    regime: values.regime?.toUpperCase(),
    reference: values.reference,
  }
  let request: ReturnType<typeof parseCheckRequest>
  try {
    request = parseCheckRequest(raw)
  } catch (err) {
    throw err instanceof AppError && err.code === 'INVALID_INPUT' ? withFlagNames(err) : err
  }

  const engine = readEngine(io.cataloguePath)
  const result = checkGoods(engine, request)
  io.stdout.write(
    values.json
      ? `${JSON.stringify(result, null, 2)}\n`
      : formatResult(request.description, result),
  )
  return 0
}

function withFlagNames(err: AppError): AppError {
  const details = err.details.map((d) => {
    const field = d.pointer.split('/')[1] ?? ''
    return { pointer: d.pointer, message: `${FLAG_OF[field] ?? field}: ${d.message}` }
  })
  return new AppError('INVALID_INPUT', details.map((d) => d.message).join('; ') || err.message, {
    details,
    cause: err,
  })
}
