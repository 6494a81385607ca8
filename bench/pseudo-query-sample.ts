/**
 * The held-out sample of the pseudo-query bench (bench/pseudo-queries.ts explains it): short UK trade
 * terms, half HMRC search references and half classification examples, each filed under one heading,
 * removed from the catalogue together with their trade-term near-copies. Shared by the bench and by
 * experiments that read the same sample (bench/heading-model/), so both hold out exactly the same lines.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'csv-parse/sync'
import type { CatalogueArtifact } from '../src/core/catalogue/types'
import { readCatalogue } from '../src/runtime/catalogue-file'

export type HeldOut = {
  text: string
  heading: string
  code: string
  source: 'search' | 'example'
  half: 'tune' | 'check'
}

export type PseudoQuerySample = {
  held: HeldOut[]
  /** The whole catalogue, as built by `npm run build:index`. */
  catalogue: CatalogueArtifact
  /** Its vocabulary without the held-out lines and (unless loose) their trade-term near-copies. */
  vocab: CatalogueArtifact['vocab']
  removed: number
}

const root = fileURLToPath(new URL('..', import.meta.url))
const key = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase()
const readCsv = (relative: string): Record<string, string>[] =>
  parse(readFileSync(join(root, 'data', relative), 'utf8'), {
    columns: true,
    skip_empty_lines: true,
    bom: true,
  })

/** mulberry32: a small seeded generator, so the sample is the same on every machine. */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function sample<T>(items: T[], n: number, random: () => number): T[] {
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j]!, copy[i]!]
  }
  return copy.slice(0, n)
}

const TRADE_SOURCES = new Set(['uk_search_reference', 'uk_classification_example', 'synonym'])

/**
 * `loose` holds out the exact texts only, leaving their longer siblings ("bulk double cream") in: the
 * example files were written per code, several names at a time, a sibling a truly new name would not have.
 */
export function samplePseudoQueries(options: {
  size: number
  seed: number
  loose: boolean
}): PseudoQuerySample {
  const searchRows = readCsv('vocab/uk_hmrc_search_references.csv').map((r) => ({
    text: r.term ?? '',
    code: r.hs6 ?? '',
    source: 'search' as const,
  }))
  const exampleRows = readCsv('vocab/uk_hmrc_classification_examples.csv')
    .filter((r) => r.kind !== 'brand')
    .map((r) => ({ text: r.text ?? '', code: r.code ?? '', source: 'example' as const }))

  // Every heading each text is filed under, over both files: a text under two headings has no one gold.
  const headingsOf = new Map<string, Set<string>>()
  for (const r of [...searchRows, ...exampleRows]) {
    const k = key(r.text)
    headingsOf.set(k, (headingsOf.get(k) ?? new Set()).add(r.code.slice(0, 4)))
  }
  const typedLike = (text: string) => {
    const words = key(text).split(' ')
    return words.length >= 1 && words.length <= 4 && !/[,()[\];:]/.test(text) && /[a-z]/i.test(text)
  }
  function pool(rows: { text: string; code: string; source: HeldOut['source'] }[]) {
    const byKey = new Map<string, (typeof rows)[number]>()
    for (const r of rows) {
      const k = key(r.text)
      if (typedLike(r.text) && headingsOf.get(k)!.size === 1 && !byKey.has(k)) byKey.set(k, r)
    }
    return [...byKey.values()]
  }

  const random = seeded(options.seed)
  const searchPool = pool(searchRows)
  const examplePool = pool(exampleRows).filter(
    (r) => !searchPool.some((s) => key(s.text) === key(r.text)),
  )
  const half = Math.floor(options.size / 2)
  const held: HeldOut[] = [
    ...sample(searchPool, half, random),
    ...sample(examplePool, options.size - half, random),
  ].map((r) => ({
    text: r.text.replace(/\s+/g, ' ').trim(),
    heading: r.code.slice(0, 4),
    code: r.code,
    source: r.source,
    half: createHash('sha256').update(key(r.text)).digest()[0]! % 2 === 0 ? 'tune' : 'check',
  }))
  const heldKeys = new Set(held.map((h) => key(h.text)))

  const catalogue = readCatalogue()
  const wordsOf = (text: string) =>
    new Set(
      (key(text).match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => w.replace(/(?<=..)(?:es|s)$/, '')),
    )
  const heldWords = held.map((h) => [...wordsOf(h.text)])
  /** A trade-term line that says the held-out line and more: the sibling a machine wrote beside it. */
  const nearCopy = (text: string): boolean => {
    const words = wordsOf(text)
    return heldWords.some((hw) => hw.length > 0 && hw.every((w) => words.has(w)))
  }
  const vocab = catalogue.vocab.filter(
    (line) =>
      !heldKeys.has(key(line.text)) &&
      !(!options.loose && TRADE_SOURCES.has(line.source) && nearCopy(line.text)),
  )
  return { held, catalogue, vocab, removed: catalogue.vocab.length - vocab.length }
}
