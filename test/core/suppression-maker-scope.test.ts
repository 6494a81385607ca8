/**
 * Suppression scopes by maker and part family (issue 12 item 3): "all TI TPS5xxx regulators for CHP
 * 8542.39" settles exactly the lines whose part number the classifier read as a TPS5… part of Texas
 * Instruments, matched to CHP 8542.39, and nothing else.
 */
import { describe, expect, it } from 'vitest'
import { checkGoods, parseCheckRequest } from '../../src/core/check-goods'
import { compileContext } from '../../src/core/lists/compile-context'
import { defaultSettings } from '../../src/core/lists/manage-settings'
import { type Suppression, SuppressionScopeSchema } from '../../src/core/lists/types'
import { testEngine } from './engine-fixture'

const AT = '2027-01-10T10:00:00.000Z'

function suppression(scope: Record<string, unknown>): Suppression {
  return {
    id: 'sup_1',
    tenantId: 't1',
    scope: SuppressionScopeSchema.parse(scope),
    reason: 'reviewed',
    acceptInForce: null,
    expiresAt: null,
    createdAt: '2027-01-01T00:00:00.000Z',
    createdBy: 'anna',
    deletedAt: null,
    deletedBy: null,
  }
}

function check(description: string, scope?: Record<string, unknown>) {
  const { engine, context } = compileContext(testEngine(), {
    key: crypto.randomUUID(),
    operator: [],
    tenant: [],
    suppressions: scope ? [suppression(scope)] : [],
    settings: defaultSettings(),
    settingsDigest: 'sha256:test',
  })
  return checkGoods(engine, parseCheckRequest({ description, destination: 'RU' }), {
    ...context,
    at: AT,
  })
}

const chpOf = (r: ReturnType<typeof check>) => r.matches.find((m) => m.list_id === 'chp')

const TI_TPS5_FOR_CHP = {
  maker: 'Texas Instruments',
  part_family: 'TPS5xxx',
  list_id: 'chp',
  hs6: '8542.39',
}

describe('suppression scope by maker and part family', () => {
  it('reads TPS5xxx, TPS5* and tps-5 as the family TPS5, and needs two letters or digits', () => {
    for (const family of ['TPS5xxx', 'TPS5*', 'tps-5', ' TPS5 '])
      expect(SuppressionScopeSchema.parse({ part_family: family }).part_family).toBe('TPS5')
    expect(SuppressionScopeSchema.safeParse({ part_family: 'x*' }).success).toBe(false)
    expect(SuppressionScopeSchema.parse({ maker: 'TI' })).toEqual({ maker: 'TI' })
  })

  it('settles a TI TPS5 regulator read as 8542.39 on CHP', () => {
    const line = 'Texas Instruments TPS54331DR step-down regulator'
    expect(check(line).verdict).toBe('high_risk')
    const after = check(line, TI_TPS5_FOR_CHP)
    expect(chpOf(after)).toMatchObject({ entry_code: '854239', suppressed_by: 'sup_1' })
    expect(after.verdict).not.toBe('high_risk')
  })

  it.each([
    ['another TI family (TPS6)', 'Texas Instruments TPS62130RGTR regulator'],
    ['another TI part number (LM25)', 'Texas Instruments LM2596S-5.0 voltage regulator'],
    ['a TPS5 part of another maker, read as another subheading', 'DECIGN TPS5430 regulator'],
    ['a part number the classifier did not read as one', 'TI TPS54331 buck converter IC'],
    ['a line with no part number', 'Texas Instruments voltage regulator IC for 8542.39'],
  ])('leaves %s alone', (_, line) => {
    const before = check(line)
    const after = check(line, TI_TPS5_FOR_CHP)
    expect(after.matches.some((m) => m.suppressed_by)).toBe(false)
    expect(after.verdict).toBe(before.verdict)
  })

  it('ties a family to its maker: an STM32 part is STMicroelectronics’, not TI’s', () => {
    const line = 'STM32F407VGT6 microcontroller'
    expect(chpOf(check(line))?.entry_code).toBe('854231')
    expect(
      chpOf(check(line, { maker: 'Texas Instruments', part_family: 'STM32' }))?.suppressed_by,
    ).toBeUndefined()
    expect(chpOf(check(line, { part_family: 'STM32F4' }))?.suppressed_by).toBe('sup_1')
    expect(chpOf(check(line, { part_family: 'STM32F1' }))?.suppressed_by).toBeUndefined()
    expect(
      chpOf(check(line, { maker: 'stmicroelectronics', part_family: 'stm32f4*' }))?.suppressed_by,
    ).toBe('sup_1')
  })

  it('matches a maker by name or alias without case, named in the text or behind a part number', () => {
    const line = 'Texas Instruments LM2596S-5.0 voltage regulator'
    for (const maker of ['Texas Instruments', 'texas  instruments', 'TI', 'TEXAS INSTRUMENTS'])
      expect(chpOf(check(line, { maker, list_id: 'chp' }))?.suppressed_by).toBe('sup_1')
    expect(chpOf(check(line, { maker: 'Analog Devices' }))?.suppressed_by).toBeUndefined()
    // DECIGN is named by no maker list, only as the maker of the TPS prefix it reads.
    expect(chpOf(check('DECIGN TPS5430 regulator', { maker: 'Decign' }))?.suppressed_by).toBe(
      'sup_1',
    )
  })
})
