import { beforeAll, describe, expect, it } from 'vitest'
import { type CliRun, runCli } from './run-cli'

const BEARING = 'SKF 6205-2RS deep groove ball bearing'

describe('dualuse check', () => {
  let human: CliRun
  let json: CliRun
  let fromGermany: CliRun
  beforeAll(async () => {
    // Three engine builds; run them side by side to keep the file fast.
    ;[human, json, fromGermany] = await Promise.all([
      runCli(['check', BEARING, '--to', 'RU']),
      runCli(['check', BEARING, '--to', 'RU', '--json', '--reference', 'PO-1']),
      runCli(['check', BEARING, '--to', 'RU', '--origin', 'DE', '--json']),
    ])
  }, 60_000)

  it('prints the verdict, classification, matches, reasons with sources and versions', () => {
    expect(human.code).toBe(0)
    expect(human.stderr).toBe('')
    const out = human.stdout
    expect(out).toContain('Verdict: HIGH RISK')
    expect(out).toMatch(/1\. 8482\.10 {2}Ball bearings/)
    expect(out).toMatch(/chp {2}8482\.10 .*tier 3\.B {2}\[guidance\]/)
    expect(out).toMatch(/\[high_risk\] \S+/)
    expect(out).toContain('source: ')
    expect(out).toContain('Russian Federation')
    expect(out).toMatch(/Versions\n {2}engine \S+\n {2}chp 2024-02-23/)
  })

  it('prints the full result as JSON with --json', () => {
    expect(json.code).toBe(0)
    const result = JSON.parse(json.stdout)
    expect(result.reference).toBe('PO-1')
    expect(result.verdict).toBe('high_risk')
    expect(result.classification.candidates[0].hs6).toBe('848210')
    expect(result.matches).toContainEqual(
      expect.objectContaining({ list_id: 'chp', entry_code: '848210', tier: '3.B' }),
    )
    expect(result.reasons.length).toBeGreaterThan(0)
    for (const r of result.reasons) expect(r.source).not.toBe('')
    expect(result.versions.engine).toBeTruthy()
  })

  it('is prohibited from a coalition origin (--origin DE)', () => {
    expect(fromGermany.code).toBe(0)
    const result = JSON.parse(fromGermany.stdout)
    expect(result.verdict).toBe('prohibited')
    expect(result.classification.candidates[0].hs6).toBe('848210')
  })
})

describe('dualuse check, bad input', () => {
  const cases: [string[], number, RegExp][] = [
    [['check', '', '--to', 'RU'], 1, /description: must not be empty/],
    [
      ['check', 'ball bearing', '--to', 'XX'],
      1,
      /--to: must be an ISO 3166-1 alpha-2 country code/,
    ],
    [['check', 'ball bearing', '--to', 'RU', '--hs', '84A2'], 1, /--hs: must contain only digits/],
    [['check', 'ball bearing'], 2, /needs a destination: --to/],
    [['check', '--to', 'RU'], 2, /needs a description/],
    [['check', 'ball bearing', '--to', 'RU', '--colour'], 2, /unknown option --colour/],
    [['frobnicate'], 2, /unknown command "frobnicate"/],
  ]
  let runs: CliRun[] = []
  // These fail before the engine is built; started together, they cost about one start-up.
  beforeAll(async () => {
    runs = await Promise.all(cases.map(([args]) => runCli(args)))
  }, 60_000)

  it.each(cases.map((c, i) => [...c, i] as const))(
    '%j exits %i with a one-line message',
    (_args, code, message, i) => {
      const run = runs[i]!
      expect(run.code).toBe(code)
      expect(run.stdout).toBe('')
      expect(run.stderr).toMatch(message)
      expect(run.stderr.trim().split('\n')).toHaveLength(1)
    },
  )

  it('--help prints the options and exits 0', async () => {
    const run = await runCli(['check', '--help'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('--origin CC')
  }, 30_000)
})

describe('dualuse lists', () => {
  it('prints each list with its legal status, version, entry count and source', async () => {
    const run = await runCli(['lists'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^chp {2}\[guidance\] {2}version 2024-02-23 {2}50 entries$/m)
    expect(run.stdout).toMatch(/^kz_106_reported {2}\[reported\]/m)
    expect(run.stdout).toContain('source: ')
  }, 30_000)
})
