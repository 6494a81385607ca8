import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { devSide, eecProductName } from '../../scripts/import-eval-sets'

// The committed eval files are what `npm run eval` scores; a malformed row would silently count as
// a miss (or worse, a hit), so their shape is checked here rather than in the eval itself.
const evalDir = join(import.meta.dirname, '..', '..', 'eval')
const lines = (file: string) =>
  readFileSync(join(evalDir, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
type Row = {
  id: string
  description: string
  hs6_hs2022?: string
  hs6?: string
  hs4?: string
}
const rows = (file: string) => lines(file).map((l) => JSON.parse(l) as Row)
const sets = readdirSync(evalDir).filter((f) => f.endsWith('.jsonl'))

describe('eval sets', () => {
  it('has the four scored sets and the dev union', () => {
    expect(sets.sort()).toEqual(
      expect.arrayContaining([
        'dev.jsonl',
        'dev-tune.jsonl',
        'dev-check.jsonl',
        'hsbench-names.jsonl',
        'hsbench-descriptions.jsonl',
        'eec-products-tune.jsonl',
        'eec-products-check.jsonl',
        'eec-descriptions-tune.jsonl',
        'eec-descriptions-check.jsonl',
      ]),
    )
  })

  for (const file of sets) {
    it(`${file}: every row has an id, a description and a 4- or 6-digit code of digits`, () => {
      const list = rows(file)
      expect(list.length).toBeGreaterThan(0)
      for (const r of list) {
        expect(r.id, JSON.stringify(r)).toMatch(/\S/)
        expect(r.description, r.id).toMatch(/\S/)
        const hs6 = r.hs6_hs2022 ?? r.hs6
        expect(hs6 ?? r.hs4, r.id).toMatch(/^(\d{4}|\d{6})$/)
        if (hs6 !== undefined) expect(hs6, r.id).toMatch(/^\d{6}$/)
        if (r.hs4 !== undefined) expect(r.hs4, r.id).toMatch(/^\d{4}$/)
        if (hs6 !== undefined && r.hs4 !== undefined) expect(hs6.slice(0, 4), r.id).toBe(r.hs4)
      }
    })

    it(`${file}: ids are unique`, () => {
      const ids = rows(file).map((r) => r.id)
      expect(new Set(ids).size).toBe(ids.length)
    })
  }

  it('ids are unique across the scored sets (dev.jsonl is their union with dev-tune/check)', () => {
    const ids = sets.filter((f) => f !== 'dev.jsonl').flatMap((f) => rows(f).map((r) => r.id))
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('dev-tune and dev-check split dev.jsonl line for line, with no overlap, by the id hash', () => {
    const tune = lines('dev-tune.jsonl')
    const check = lines('dev-check.jsonl')
    expect(tune.filter((l) => check.includes(l))).toEqual([])
    expect([...tune, ...check].sort()).toEqual(lines('dev.jsonl').sort())
    for (const r of rows('dev-tune.jsonl')) expect(devSide(r.id), r.id).toBe('tune')
    for (const r of rows('dev-check.jsonl')) expect(devSide(r.id), r.id).toBe('check')
  })

  it('the EEC sets: the same decisions as a product name and as a description, split by the id hash', () => {
    const base = (id: string) => id.replace(/\.(product|description)$/, '')
    for (const side of ['tune', 'check'] as const) {
      const products = rows(`eec-products-${side}.jsonl`)
      const descriptions = rows(`eec-descriptions-${side}.jsonl`)
      expect(products.map((r) => base(r.id))).toEqual(descriptions.map((r) => base(r.id)))
      products.forEach((p, i) => {
        const d = descriptions[i]!
        expect(p.id, p.id).toMatch(/^eec-\d+\.product$/)
        expect(d.id, d.id).toMatch(/^eec-\d+\.description$/)
        expect([p.hs4, p.hs6], p.id).toEqual([d.hs4, d.hs6])
        expect(devSide(base(p.id)), p.id).toBe(side)
        // The decision's history ("внесены изменения Решением …") is not goods text.
        expect(p.description, p.id).not.toMatch(/внесены изменения|отменено|Решением/i)
        expect(p.description, p.id).toMatch(/[а-яё]/i)
      })
    }
  })

  it('eecProductName drops the decision history and keeps the first of run-together variant names', () => {
    expect(
      eecProductName(
        'Насос ручной ( внесены изменения Решением Коллегии Евразийской экономической комиссии от 01.02.2020 № 1 )',
      ),
    ).toBe('Насос ручной')
    expect(
      eecProductName('Клапан (вентиль) запорный (отменено Решением Коллегии от 01.02.2024 № 2 )'),
    ).toBe('Клапан (вентиль) запорный')
    expect(eecProductName('Ящик деревянный Ящик пластмассовый для овощей')).toBe('Ящик деревянный')
    // Brand names, acronyms and a capital after a comma or a quote start no new name.
    expect(eecProductName('Модуль «Orion» для ВИЧ-тестов')).toBe('Модуль «Orion» для ВИЧ-тестов')
    expect(eecProductName('Насос, Дозатор')).toBe('Насос, Дозатор')
  })

  it('exclude.sha256 is one SHA-256 hex digest a line', () => {
    const digests = lines('exclude.sha256')
    expect(digests.length).toBeGreaterThan(0)
    for (const d of digests) expect(d).toMatch(/^[0-9a-f]{64}$/)
  })
})
