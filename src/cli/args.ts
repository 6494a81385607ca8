/**
 * @module cli/args
 * `node:util` parseArgs with its errors turned into one-line `UsageError`s.
 */
import { parseArgs } from 'node:util'
import { UsageError } from './usage-error'

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>

export type ParsedArgs<T extends OptionSpec> = {
  values: { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string } & {
    help?: boolean
  }
  positionals: string[]
}

export function parseCommandArgs<T extends OptionSpec>(
  argv: string[],
  options: T,
  usage: string,
): ParsedArgs<T> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    })
    return { values: values as ParsedArgs<T>['values'], positionals }
  } catch (err) {
    throw new UsageError(describeParseError(err), usage)
  }
}

/** Node's parseArgs messages run to several sentences; keep the first, naming the option. */
function describeParseError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  const code = (err as { code?: string }).code
  const option = /'(-[^' ]+)/.exec(message)?.[1]
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option}`
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option)
    return message.includes('argument missing')
      ? `option ${option} needs a value`
      : `option ${option} takes no value`
  return message.split(/\.\s/)[0] ?? message
}

/** Splits "RU, BY;KG" into country codes; validation is the schema's job. */
export function splitList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined
  return value
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean)
}
