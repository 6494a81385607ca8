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
})
