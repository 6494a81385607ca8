/**
 * The node arguments of the package.json `dualuse` script (heap caps and launcher), read from the file so
 * a bench that spawns the CLI always measures the command line users run.
 */
import { readFileSync } from 'node:fs'

export function dualuseNodeArgs(root: string): string[] {
  const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as {
    scripts: Record<string, string>
  }
  const [program, ...args] = pkg.scripts['dualuse']!.trim().split(/\s+/)
  if (program !== 'node') throw new Error(`the dualuse script does not start with node: ${program}`)
  return args
}
