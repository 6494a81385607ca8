import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CatalogueArtifact } from '../../src/core/catalogue/types'
import { createPartNumberReader } from '../../src/core/classify/part-numbers'
import { tokenize } from '../../src/core/classify/text'

const catalogue: CatalogueArtifact = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../data/build/catalogue.json'), 'utf8'),
)
const reader = createPartNumberReader(catalogue)
const read = (description: string) =>
  reader.read(description, tokenize(description), (code) => code.length === 6)

describe('derived component classes in the catalogue', () => {
  it('compiles the maker → HS-4 table and the part-number prefixes, marked derived', () => {
    const { makers, prefixes, source, basis } = catalogue.componentClasses
    expect(source).toMatch(/Shamaich1337\/TNVED-code-classification@[0-9a-f]{12}/)
    expect(basis).toMatch(/^derived/)
    const murata = makers.filter((m) => m.maker === 'MURATA ELECTRONICS')
    expect(murata[0]).toMatchObject({ hs4: '8532', hs6: '853224' })
    expect(murata.reduce((n, m) => n + m.parts, 0)).toBe(murata[0]!.makerParts)
    expect(
      prefixes.find((p) => p.prefix === 'GCM' && p.maker === 'MURATA ELECTRONICS'),
    ).toMatchObject({ hs6: '853224' })
  })

  it('reads a prefix as evidence when its maker is named, and not a short prefix alone', () => {
    const named = read('Murata GCM155R71C104KA55D capacitor')
    expect(named).toContainEqual(
      expect.objectContaining({
        hs6: '853224',
        kind: 'part_number_family',
        token: expect.stringMatching(/^gcm155r71c104ka55d$/i),
      }),
    )
    expect(named[0]!.text).toMatch(/maker named in the text/)
    expect(read('GCM155R71C104KA55D')).toEqual([])
  })

  it('keeps the curated family when one matches (XC7 family, not a counted prefix)', () => {
    const [e] = read('XILINX XC7K410T-2FFG900I')
    expect(e!.text).toMatch(/XC7_ARTIX_KINTEX_VIRTEX family/)
  })

  it('gives a curated family the share of listed parts its pattern matches under its heading', () => {
    const [e] = read('STM32F103C8T6')
    expect(e).toMatchObject({ kind: 'part_number_family', hs6: '854231' })
    // Rule of succession over the parts the pattern matches: (n + 1) / (n + 2) when all agree.
    const stm32 = catalogue.partFamilies.find((f) => f.id === 'STM32')!.listed!
    expect(stm32.agreement).toBeCloseTo((stm32.sameHeading + 1) / (stm32.parts + 2), 3)
    expect(e!.agreement).toBe(stm32.agreement)
    expect(e!.text).toMatch(/of the \d+ parts it matches .* are in heading 8542/)
    // A family no listed part matches carries no figure.
    expect(catalogue.partFamilies.find((f) => f.id === 'UBLOX_NEO_M9N')!.listed).toBeUndefined()
  })

  it('reads a maker whose parts spread over CHP headings by its CHP share', () => {
    // Diodes Inc.: diodes (8541) and integrated circuits (8542), no heading at 80 %, almost all CHP.
    const m = reader.makerClass('QXZ5521 Diodes Incorporated')!
    expect(m.hs6.slice(0, 4)).toBe('8541')
    expect(m.hs4Share).toBeLessThan(0.8)
    expect(m.chpShare).toBeGreaterThanOrEqual(0.8)
    // A maker with one dominant heading is read by it, with no CHP share.
    expect(reader.makerClass('QXZ5521 Analog Devices')).toMatchObject({ hs6: '854239' })
    expect(reader.makerClass('QXZ5521 Analog Devices')!.chpShare).toBeUndefined()
  })

  it("takes every listed maker's name as origin, not goods words, even when its parts are mixed", () => {
    expect(reader.makerWords('QXZ5521 TE Connectivity')).toEqual(new Set(['te', 'connectivity']))
    expect(reader.makerWords('QXZ5521 Traco Power')).toContain('power')
    expect(reader.makerWords('ZX-2000 Samsung').size).toBe(0)
    // A one-word maker name is an ordinary word unless it stands beside a part number.
    expect(reader.makerWords('silicon wafers')).not.toContain('silicon')
    expect(reader.makerWords('echo sounder 500g')).not.toContain('echo')
    expect(reader.makerWords('GRM188R71H104KA93D Murata')).toContain('murata')
  })

  it("takes only the names of a curated maker that the line writes, not the maker's other aliases", () => {
    // Texas Instruments, aliases "Texas Instruments Inc(orporated)" ("TI" is too short to count).
    const words = reader.makerWords('voltage regulator, Texas Instruments Inc')
    expect(words).toEqual(new Set(['texas', 'instruments', 'inc']))
    expect(reader.makerWords('voltage regulator, Texas Instruments')).not.toContain('incorporated')
  })
})
