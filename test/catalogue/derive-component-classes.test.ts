import { describe, expect, it } from 'vitest'
import {
  deriveComponentTables,
  deriveFamilyAgreement,
  type ListedPart,
  listedParts,
  makerKey,
} from '../../src/core/catalogue/derive-component-classes'

const part = (p: string, maker: string, hs6: string): ListedPart => ({
  part: p,
  maker: makerKey(maker),
  makerRaw: maker,
  hs6,
})

describe('deriving the component tables from a parts list', () => {
  it('joins spellings of one maker and drops rows without a code, repeats and filtered rows', () => {
    expect(makerKey('LINEARTECHNOLOGY')).toBe(makerKey('Linear Technology Corporation'))
    const { parts, dropped, badCode, duplicate } = listedParts(
      [
        { part_num: 'AB1001', manufacturer: 'ACME INC', TNVED: '8542390001' },
        { part_num: 'AB-1001', manufacturer: 'ACME', TNVED: '8542390001' },
        { part_num: 'AB1002', manufacturer: 'ACME', TNVED: 'other' },
        { part_num: 'SECRET1', manufacturer: 'ACME', TNVED: '8542390001' },
      ],
      (p) => p !== 'SECRET1',
      () => true,
    )
    expect(parts.map((p) => p.part)).toEqual(['AB1001'])
    expect({ dropped, badCode, duplicate }).toEqual({ dropped: 1, badCode: 1, duplicate: 1 })
  })

  it('writes per maker its share per heading with the parts per HS-6, and prefixes that agree', () => {
    const parts = [
      ...['AB1001', 'AB1002', 'AB1003', 'AB1004', 'AB1005', 'AB1006'].map((p) =>
        part(p, 'ACME', '854239'),
      ),
      part('XY2001', 'ACME', '854110'),
      part('XY2002', 'ACME', '854129'),
    ]
    const { makers, prefixes } = deriveComponentTables(parts)
    expect(makers).toEqual([
      expect.objectContaining({
        maker: 'ACME',
        hs4: '8542',
        hs4Share: 0.75,
        parts: 6,
        makerParts: 8,
        hs6Parts: { '854239': 6 },
      }),
      expect.objectContaining({ hs4: '8541', parts: 2, hs6Parts: { '854110': 1, '854129': 1 } }),
    ])
    // "AB1" (6 parts, all 854239) is kept; its longer extensions say the same and are left out.
    expect(prefixes.map((p) => [p.prefix, p.hs6, p.parts])).toEqual([['AB1', '854239', 6]])
  })

  it("measures a curated family on the list's parts by the rule of succession", () => {
    const parts = [
      part('STM32F103C8T6', 'ST', '854231'),
      part('STM32L051K8', 'ST', '854231'),
      part('STM32G0', 'ST', '854239'),
    ]
    const [stm32, none] = deriveFamilyAgreement(
      [
        { id: 'STM32', regex: '^STM32', hs6: '854231' },
        { id: 'NONE', regex: '^ZZZ', hs6: '854231' },
      ],
      parts,
    )
    // All three are in heading 8542: (3 + 1) / (3 + 2).
    expect(stm32).toMatchObject({ parts: 3, sameHeading: 3, sameSubheading: 2, agreement: 0.8 })
    expect(none).toEqual({ familyId: 'NONE', parts: 0, sameHeading: 0, sameSubheading: 0 })
  })
})
