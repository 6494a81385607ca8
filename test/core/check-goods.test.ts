import { beforeAll, describe, expect, it } from 'vitest'
import { checkGoodsInput, parseCheckRequest } from '../../src/core/check-goods'
import { AppError } from '../../src/core/errors'
import { testEngine } from './engine-fixture'

// Building the engine takes seconds (more while other checks build theirs): not a test's time.
beforeAll(() => {
  testEngine()
}, 60_000)

const check = (input: Record<string, unknown>) => checkGoodsInput(testEngine(), input)
const ruleIds = (r: ReturnType<typeof check>) => r.reasons.map((x) => x.rule_id)

describe('checkGoods: the examples a compliance officer signs off (regime KZ)', () => {
  it('rates an SKF 6205-2RS bearing to Russia high_risk, CHP 3.B, and says Kazakhstan did not join the bearing ban', () => {
    const r = check({ description: 'SKF 6205-2RS deep groove ball bearing', destination: 'RU' })
    expect(r.verdict).toBe('high_risk')
    expect(r.classification.candidates[0]!.hs6).toBe('848210')
    expect(r.matches.find((m) => m.list_id === 'chp')).toMatchObject({
      entry_code: '848210',
      tier: '3.B',
      legal_status: 'guidance',
    })
    const text = r.reasons.map((x) => x.text).join(' ')
    expect(text).toMatch(/did not join the ban on ball bearings/)
    expect(text).toMatch(/secondary-sanctions/)
    expect(r.versions.lists.chp).toBe('2024-02-23')
  })

  it('prohibits the same bearing when it was made in Germany, citing the in-force EU annex', () => {
    const r = check({
      description: 'SKF 6205-2RS deep groove ball bearing',
      destination: 'RU',
      origin: 'DE',
    })
    expect(r.verdict).toBe('prohibited')
    expect(r.reasons[0]).toMatchObject({
      rule_id: 'origin_state_ban.sanctioned',
      effect: 'prohibited',
    })
    const annexXl = r.reasons.find((x) => /Annex XL/.test(x.text))
    expect(annexXl?.source).toMatch(/2024\/1745/)
    expect(annexXl?.text).toMatch(/draft e-invoice check/)
  })

  it('flags an STM32 microcontroller to Russia as CHP tier 1 under 8542.31', () => {
    const r = check({
      description: 'STM32F407VGT6 ARM Cortex-M4 microcontroller',
      destination: 'RU',
    })
    expect(r.verdict).not.toBe('clear')
    expect(r.classification.candidates[0]!.hs6).toBe('854231')
    expect(r.matches.find((m) => m.list_id === 'chp')?.tier).toBe('1')
  })

  it('treats the Russian bearing description like the English one', () => {
    const r = check({
      description: 'подшипник шариковый радиальный однорядный 6205',
      destination: 'RU',
    })
    expect(r.verdict).toBe('high_risk')
    expect(r.classification.candidates[0]!.hs6).toBe('848210')
    expect(r.reasons.map((x) => x.text).join(' ')).toMatch(/did not join the ban on ball bearings/)
  })

  it('clears a wooden dining chair to Russia with a furniture code on top', () => {
    const r = check({ description: 'wooden dining chair, oak', destination: 'RU' })
    expect(r.verdict).toBe('clear')
    expect(r.classification.candidates[0]!.hs6.slice(0, 2)).toBe('94')
    expect(ruleIds(r)).toEqual(['default.clear'])
  })

  it('clears ball bearings to Germany but asks for review to Armenia, naming the transshipment point', () => {
    expect(check({ description: 'ball bearing', destination: 'DE' }).verdict).toBe('clear')
    const am = check({ description: 'ball bearing', destination: 'AM' })
    expect(am.verdict).toBe('review')
    expect(am.destination.category).toBe('transshipment')
    expect(am.reasons[0]!.text).toMatch(/Armenia/)
  })

  it('reviews an FPGA declared as plastics, saying the declared code disagrees with the description', () => {
    const r = check({ description: 'FPGA Xilinx XC7A35T', destination: 'RU', hs_code: '3926.90' })
    expect(r.verdict).not.toBe('clear')
    expect(r.classification.declared_code).toBe('392690')
    expect(r.classification.declared_code_consistent).toBe(false)
    expect(ruleIds(r)).toContain('classification.declared_code_mismatch')
  })
})

describe('checkGoods: routes and regimes', () => {
  it('counts a final destination in Russia as the destination', () => {
    const r = check({
      description: 'SKF 6205-2RS deep groove ball bearing',
      destination: 'KG',
      final_destination: 'RU',
    })
    expect(r.destination).toMatchObject({ category: 'sanctioned', final_destination: 'RU' })
    expect(r.verdict).toBe('high_risk')
  })

  it('never prohibits on the reported Kazakh 106 list alone', () => {
    const r = check({ description: 'quadcopter drone', destination: 'RU' })
    const kz = r.reasons.filter((x) => x.rule_id === 'kz.106_reported')
    for (const reason of kz) expect(reason.effect).toBe('review')
  })

  it('prohibits CHP goods to Russia under the EU regime on the in-force annex', () => {
    const r = check({
      description: 'SKF 6205-2RS deep groove ball bearing',
      destination: 'RU',
      regime: 'EU',
    })
    expect(r.verdict).toBe('prohibited')
    expect(ruleIds(r)).toContain('eu.annex_in_force.sanctioned')
  })

  it('asks for review of any goods to Iran, saying the programme is not loaded', () => {
    const r = check({ description: 'wooden dining chair', destination: 'IR' })
    expect(r.verdict).toBe('review')
    expect(r.reasons[0]!.text).toMatch(/not loaded/)
  })

  it('gives the same output for the same input', () => {
    const input = {
      description: 'AD7091RBRMZ Analog Devices ADC',
      destination: 'RU',
      reference: 'INV-1/7',
    }
    expect(check(input)).toEqual(check(input))
    expect(check(input).reference).toBe('INV-1/7')
  })
})

describe('checkGoods: reasons never contradict the matches (issue 7)', () => {
  it('says why the matches of an SKF bearing to Kazakhstan do not decide, never that nothing matched', () => {
    const r = check({ description: 'SKF 6205-2RS deep groove ball bearing', destination: 'KZ' })
    expect(r.verdict).toBe('clear')
    expect(r.matches.length).toBeGreaterThan(0)
    const text = r.reasons.map((x) => x.text).join(' ')
    expect(text).not.toMatch(/no controlled list entry matched/i)
    for (const m of r.matches) {
      expect(m.applies).toBe(false)
      expect(m.why_not_applied).toBeTruthy()
    }
    const xl = r.matches.find((m) => m.list_id === 'eu_833_annex_xl')
    expect(xl?.why_not_applied).toMatch(/Annex XL binds EU exporters; the regime is KZ/)
    expect(r.matches.find((m) => m.list_id === 'chp')?.why_not_applied).toMatch(
      /Kazakhstan is not a sanctioned.*no rule applies to this route/,
    )
    expect(r.reasons[0]).toMatchObject({ rule_id: 'default.clear', effect: 'clear' })
    expect(r.reasons[0]!.text).toMatch(/4 list entries matched, and none changes the verdict/)
    const informative = r.reasons.filter((x) => x.rule_id === 'matches.not_applied')
    expect(informative.map((x) => x.effect)).toEqual(['info', 'info', 'info', 'info'])
  })

  it('prohibits a laptop made in Germany to Russia under regime KZ, naming the EU annex', () => {
    const r = check({ description: 'laptop', destination: 'RU', origin: 'DE' })
    expect(r.classification.candidates[0]!.hs6).toBe('847130')
    expect(r.verdict).toBe('prohibited')
    expect(r.reasons[0]).toMatchObject({
      rule_id: 'origin_state_ban.sanctioned',
      effect: 'prohibited',
    })
    expect(r.reasons[0]!.text).toMatch(/Annex XXXVII/)
    expect(r.reasons[0]!.text).toMatch(/made in Germany, an EU Member State/)
    expect(r.reasons[0]!.source).toMatch(/2025\/1494/)
    expect(r.matches.every((m) => m.applies)).toBe(true)
  })

  it('keeps a CHP bearing made in Kazakhstan to Russia high_risk: the EU annexes do not bind it', () => {
    const r = check({
      description: 'SKF 6205-2RS deep groove ball bearing',
      destination: 'RU',
      origin: 'KZ',
    })
    expect(r.verdict).toBe('high_risk')
    expect(r.reasons.map((x) => x.rule_id)).not.toContain('origin_state_ban.sanctioned')
    expect(r.matches.find((m) => m.list_id === 'chp')?.applies).toBe(true)
    expect(r.matches.find((m) => m.list_id === 'eu_833_annex_xl')?.why_not_applied).toMatch(
      /made in Kazakhstan, not in an EU Member State/,
    )
  })

  it('keeps a non-EU coalition origin at high_risk: its national list is not loaded', () => {
    const r = check({
      description: 'SKF 6205-2RS deep groove ball bearing',
      destination: 'RU',
      origin: 'NO',
    })
    expect(r.verdict).toBe('high_risk')
    expect(r.reasons[0]).toMatchObject({ rule_id: 'chp.coalition_origin.sanctioned' })
    expect(r.reasons[0]!.text).toMatch(/not loaded/)
  })

  it('reviews a line it cannot read to Russia, asking what the goods are', () => {
    const r = check({ description: 'zzqx flurble', destination: 'RU' })
    expect(r.verdict).toBe('review')
    expect(r.reasons[0]).toMatchObject({ rule_id: 'classification.unreadable', effect: 'review' })
    expect(r.reasons[0]!.text).toMatch(/could not be read with confidence/)
    expect(r.reasons[0]!.text).toMatch(/what they are made of and what they do/)
  })

  it('clears the same line to Germany but says it was not read', () => {
    const r = check({ description: 'zzqx flurble', destination: 'DE' })
    expect(r.verdict).toBe('clear')
    const unread = r.reasons.find((x) => x.rule_id === 'classification.unreadable')
    expect(unread).toMatchObject({ effect: 'info' })
    expect(unread!.text).toMatch(/not read with confidence/)
  })
})

describe('parseCheckRequest', () => {
  it.each([
    [{ description: '', destination: 'RU' }, '/description'],
    [{ description: 'bearing', destination: 'XX' }, '/destination'],
    [{ description: 'bearing', destination: 'RU', hs_code: '84A2' }, '/hs_code'],
    [{ description: 'bearing', destination: 'RU', regime: 'CN' }, '/regime'],
  ])('rejects %j with a pointer to %s', (input, pointer) => {
    try {
      parseCheckRequest(input)
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(AppError)
      expect((error as AppError).details.map((d) => d.pointer)).toContain(pointer)
    }
  })
})
