/**
 * @module classify/text-index
 * A BM25 index over vocabulary *lines* (one HS text, one US HTS or EU CN national line, one UK search
 * term, one Russian name, one curated synonym), each attached to an HS heading or subheading. Scoring
 * lines rather than one big document per code rewards a line that says what the goods are, instead of
 * a code whose many lines mention many words.
 */
import type { VocabLine, VocabSource } from '../catalogue/types'
import { LINE_ROLE, type LineRole, lineTermRoles } from './line-roles'
import { indexTerms, type StemTable, seedStems } from './text'

/** How much a matching line of each source is trusted (team's tuning on the dev set, see BENCHMARKS.md). */
const SOURCE_WEIGHT: Record<VocabSource, number> = {
  hs2022: 1.0,
  hs2022_heading: 1.0,
  hs_ru: 1.0,
  tnved_ru: 0.9,
  tnved_eaeu_2026: 0.9,
  htsus_2025: 0.9,
  eu_cn_2026: 0.9,
  uk_search_reference: 1.1,
  uk_classification_example: 0.7,
  // A declarant's words for one consignment: the trade word, with less care than a tariff text. The
  // figures hardly moved between 0.15 and 0.6 (data/vocab/SOURCES.md §9); 0 undoes the gain.
  ru_declaration: 0.6,
  synonym: 1.2,
}

const K1 = 1.2
const B = 0.75

export type TextIndex = {
  /** Term → numeric id. */
  termIds: Map<string, number>
  /**
   * The postings of term id t are entries `postingStart[t]` to `postingStart[t + 1]` of the three flat
   * posting arrays: the lines containing the term; per line, the term's BM25 term-frequency part times
   * the line's source weight (everything but the query weight and idf), computed once at build time so
   * the hot loop reads one array instead of three per line; and the term's role in the line. Flat
   * arrays rather than three small typed arrays per term: each typed array costs some 240 bytes of
   * heap beside its contents, 16 MB per engine over 22,000 terms (BENCHMARKS.md, batch memory).
   */
  postingStart: Int32Array
  postingLine: Int32Array
  postingImpact: Float64Array
  postingRole: Uint8Array
  idf: Float64Array
  lineCode: string[]
  lineText: string[]
  lineSource: VocabSource[]
  /** Distinct terms per line, for phrase lines that count only when matched whole. */
  lineTerms: Uint8Array
  /** 1: curated phrases (UK search terms, synonyms), partly matched they count less; 2: names matched whole only. */
  isPhrase: Uint8Array
  /** Unstemmed vocabulary words by stem, for typo correction. */
  wordsByStem: Map<string, string>
}

export function buildTextIndex(vocab: VocabLine[]): TextIndex {
  // Two passes straight into typed arrays: the first counts postings per term, the second fills them.
  // Building through per-term JS arrays doubled the peak memory of each engine (two per batch).
  const termIds = new Map<string, number>()
  const lineTermsList: string[][] = new Array(vocab.length)
  const lineRolesList: LineRole[][] = new Array(vocab.length)
  const counts: number[] = []
  const lineLength: number[] = new Array(vocab.length)
  const wordsByStem = new Map<string, string>()
  vocab.forEach((line, lineId) => {
    const text = withoutExclusions(line.text)
    const terms = indexTerms(text)
    lineRolesList[lineId] = readRoles(text, terms.length)
    lineLength[lineId] = terms.length
    const distinct = [...new Set(terms)]
    lineTermsList[lineId] = terms
    for (const term of distinct) {
      let id = termIds.get(term)
      if (id === undefined) {
        id = counts.length
        termIds.set(term, id)
        counts.push(0)
      }
      counts[id]!++
    }
    for (const word of line.text.toLowerCase().match(/[\p{L}]{5,}/gu) ?? []) {
      if (!wordsByStem.has(word)) wordsByStem.set(word, '')
    }
  })
  const n = vocab.length
  const avgLength = lineLength.reduce((a, b) => a + b, 0) / Math.max(1, n)
  const postingStart = new Int32Array(counts.length + 1)
  counts.forEach((c, id) => {
    postingStart[id + 1] = postingStart[id]! + c
  })
  const total = postingStart[counts.length]!
  const postingLine = new Int32Array(total)
  const postingImpact = new Float64Array(total)
  const postingRole = new Uint8Array(total)
  const filled = postingStart.slice(0, counts.length)
  lineTermsList.forEach((terms, lineId) => {
    const tf = new Map<string, number>()
    // A term's role in the line is its strongest occurrence (head over goods over qualifier).
    const roleOf = new Map<string, LineRole>()
    const roles = lineRolesList[lineId]!
    terms.forEach((t, i) => {
      tf.set(t, (tf.get(t) ?? 0) + 1)
      const role = roles[i]!
      if (!roleOf.has(t) || role < roleOf.get(t)!) roleOf.set(t, role)
    })
    const norm = K1 * (1 - B + (B * lineLength[lineId]!) / avgLength)
    const weight = SOURCE_WEIGHT[vocab[lineId]!.source]
    for (const [term, count] of tf) {
      const id = termIds.get(term)!
      const k = filled[id]!++
      const f = Math.min(count, 255)
      postingLine[k] = lineId
      postingImpact[k] = ((f * (K1 + 1)) / (f + norm)) * weight
      postingRole[k] = roleOf.get(term)!
    }
  })

  const idf = new Float64Array(counts.length)
  counts.forEach((c, id) => {
    idf[id] = bm25Idf(n, c)
  })
  const lineTerms = new Uint8Array(n)
  const isPhrase = new Uint8Array(n)
  vocab.forEach((line, i) => {
    lineTerms[i] = Math.min(255, new Set(lineTermsList[i]).size)
    // 1: a curated phrase, partly matched it counts less; 2: a machine-written name ("blue pointer",
    // a shark), which counts only when the query names it whole ("laser pointer" is no shark).
    isPhrase[i] =
      line.source === 'uk_classification_example'
        ? 2
        : line.source === 'synonym' || line.source === 'uk_search_reference'
          ? 1
          : 0
  })
  return {
    lineTerms,
    isPhrase,
    termIds,
    postingStart,
    postingLine,
    postingImpact,
    postingRole,
    idf,
    lineCode: vocab.map((l) => l.code),
    lineText: vocab.map((l) => l.text),
    lineSource: vocab.map((l) => l.source),
    wordsByStem,
  }
}

// "Lasers, other than laser diodes", "Bearing housings, not incorporating ball or roller bearings",
// "Fabrics, not knitted": the words of an exclusion say what the line is *not*, so they are not indexed
// as evidence for it. A plain "not" runs to the next comma; "whether or not ground" excludes nothing.
// (English HSBench names +0.8, descriptions +0.9 points HS-4; dev-tune −1 row, dev-check unchanged.)
const EXCLUSION =
  /\b(?:other than|excluding|excl\.?|except|not incorporating|not including)\b[^;:)]*|\b(?<!whether or )not\b[^;:),]*/giu
// The Russian texts say the same with "кроме" and "за исключением", to the end of the clause
// ("Ткани, кроме тканей товарной позиции 5806"). `\b` knows only Latin letters, so the word edges are
// spelled out (the old "кроме" inside EXCLUSION never matched).
const RUSSIAN_EXCLUSION = /(?<![\p{L}\p{N}])(?:кроме|за исключением)(?![\p{L}\p{N}])[^;:)]*/giu

// A negated property, "не" before an adjective or participle ("рыба соленая, но не сушеная", "ткани,
// не пропитанные"), to the next comma. "содержащие или не содержащие" ("whether or not") excludes
// nothing; "не более 3 лет" is a bound. Every "не" to the next comma added a false alarm (BENCHMARKS.md
// step 21).
const RUSSIAN_NEGATED_PROPERTY =
  /(?<![\p{L}\p{N}])(?<!(?:или|либо) )не (?=\p{L}+(?:ый|ой|ая|яя|ое|ее|ые|ие|ого|его|ых|их|ую)(?![\p{L}\p{N}]))(?!(?:более|менее|свыше|превыша))[^;:),]*/giu

export function withoutExclusions(text: string): string {
  return text
    .replace(EXCLUSION, ' ')
    .replace(RUSSIAN_EXCLUSION, ' ')
    .replace(RUSSIAN_NEGATED_PROPERTY, ' ')
}

/** Reads the roles of a line's terms; a line whose roles cannot be aligned counts as goods words. */
function readRoles(text: string, termCount: number): LineRole[] {
  const roles = lineTermRoles(text)
  return roles.length === termCount ? roles : new Array(termCount).fill(LINE_ROLE.goods)
}

export type QueryRole = 'head' | 'goods' | 'qualifier'
const QUERY_ROLE_INDEX: Record<QueryRole, number> = { head: 0, goods: 1, qualifier: 2 }

/**
 * How much a match counts, by the word's role in the query (rows) and in the line (columns: head,
 * goods, qualifier). The query's head found as a line's head is the reading we want ("ball bearing"
 * → "Ball bearings"); found only where the line qualifies its goods ("balls for ball bearings",
 * "furskins ... with tail") it says less about what the goods are. Other query words count the same
 * anywhere: a material that qualifies the query's goods ("steel tank") is a qualifier in the tariff
 * text too ("tanks ... of iron or steel"). Team's settings: of the matrices tried, the one that lifted
 * the English HSBench sets most without lowering the dev set (BENCHMARKS.md).
 */
export const DEFAULT_ROLE_MATCH: readonly number[] = [
  // line: head goods qualifier inCompound
  1.0,
  0.8,
  0.5,
  0.8, // query head
  1.0,
  1.0,
  1.0,
  1.0, // query goods word
  1.0,
  1.0,
  1.0,
  1.0, // query qualifier
]
/** Columns of a role-match matrix: one per line role. */
export const LINE_ROLES = 4

export type LineHit = { line: number; score: number; mask: number }

/**
 * Per-classifier scoring state, reused by every call so the hot loops allocate nothing per line:
 * after `scoreLines`, `touched[0..count)` are the lines that matched, each with its weighted score
 * (`scoreOf`), its mask (bit i set when query term i matched: `maskOf`), its `headMaskOf` and its
 * `freeMaskOf`, until `clearScores`.
 *
 * A line's four values sit side by side in 32 bytes (`LINE_STATE_BYTES`), not in four arrays: the
 * postings of a query word jump across ~87,000 lines, and each touch of a line then costs one cache
 * line instead of four (these loops were the largest share of a batch row's CPU time).
 */
export type ScoringScratch = {
  /** The lines' state as Float64: the score of line i at `i * 4`. */
  scores: Float64Array
  /** The same bytes as Uint32: mask, headMask and freeMask of line i at `i * 8 + 2, 3, 4`. */
  masks: Uint32Array
  touched: Int32Array
  count: number
}

/** Bytes of one line's state: a multiple of 8 that divides 64, so no line's state spans two cache lines. */
const LINE_STATE_BYTES = 32
const SCORE_STRIDE = LINE_STATE_BYTES / 8
const MASK_STRIDE = LINE_STATE_BYTES / 4
const MASK_AT = 2
/** Bit i set when query term i matched a word the line names its goods by (the line's head). */
const HEAD_MASK_AT = 3
/** Bit i set when query term i matched the line other than inside a hyphenated word (`inCompound`). */
const FREE_MASK_AT = 4

export function newScratch(index: TextIndex): ScoringScratch {
  const n = index.lineCode.length
  const bytes = new ArrayBuffer(n * LINE_STATE_BYTES)
  return {
    scores: new Float64Array(bytes),
    masks: new Uint32Array(bytes),
    touched: new Int32Array(n),
    count: 0,
  }
}

/** The line's weighted score after `scoreLines` (0 when it matched nothing). */
export function scoreOf(scratch: ScoringScratch, line: number): number {
  return scratch.scores[line * SCORE_STRIDE]!
}

/** Bit i set when query term i matched the line. */
export function maskOf(scratch: ScoringScratch, line: number): number {
  return scratch.masks[line * MASK_STRIDE + MASK_AT]!
}

/** Bit i set when query term i matched a word the line names its goods by (the line's head). */
export function headMaskOf(scratch: ScoringScratch, line: number): number {
  return scratch.masks[line * MASK_STRIDE + HEAD_MASK_AT]!
}

/** Bit i set when query term i matched the line other than inside a hyphenated word (`inCompound`). */
export function freeMaskOf(scratch: ScoringScratch, line: number): number {
  return scratch.masks[line * MASK_STRIDE + FREE_MASK_AT]!
}

/**
 * Per term id, BM25's inverse document frequency counted over HS headings instead of lines: how many
 * of the headings' vocabularies hold the term. Line counts follow the sources' verbosity (a US line
 * repeats its ancestors' words, so "other", "seats" or "footwear" are in hundreds of lines of a few
 * headings), while the classifier's question is which heading the goods belong to: a word found in
 * few headings tells more than one found in many, however many lines each heading spends on it.
 * (HS-4: dev-check +3 rows, dev-tune +2, HSBench descriptions +0.9 and names +0.2 points.)
 */
export function headingIdf(index: TextIndex): Float64Array {
  const headingOf = new Map<string, number>()
  const lineHeading = Int32Array.from(index.lineCode, (code) => {
    const heading = code.slice(0, 4)
    let id = headingOf.get(heading)
    if (id === undefined) {
      id = headingOf.size
      headingOf.set(heading, id)
    }
    return id
  })
  // Last term id that counted each heading, so a heading counts once per term.
  const countedFor = new Int32Array(headingOf.size).fill(-1)
  const { postingStart, postingLine } = index
  const idf = new Float64Array(index.idf.length)
  for (let id = 0; id < idf.length; id++) {
    let headings = 0
    for (let k = postingStart[id]!; k < postingStart[id + 1]!; k++) {
      const heading = lineHeading[postingLine[k]!]!
      if (countedFor[heading] !== id) {
        countedFor[heading] = id
        headings++
      }
    }
    idf[id] = bm25Idf(headingOf.size, headings)
  }
  return idf
}

/**
 * Scores every line that shares a term with the query, into `scratch` (see `ScoringScratch`), with
 * the index's per-line idf unless another is given (the classifier's `headingIdf`).
 */
export function scoreLines(
  index: TextIndex,
  terms: { term: string; weight: number; role?: QueryRole; notInLines?: ReadonlySet<number> }[],
  scratch: ScoringScratch,
  roleMatch: readonly number[] = DEFAULT_ROLE_MATCH,
  idf: Float64Array = index.idf,
): void {
  const { scores, masks, touched } = scratch
  const { postingStart, postingLine, postingImpact, postingRole } = index
  let count = 0
  for (let qi = 0; qi < terms.length; qi++) {
    const qt = terms[qi]!
    const id = index.termIds.get(qt.term)
    if (id === undefined) continue
    const w = qt.weight * idf[id]!
    const bit = qi < 31 ? 1 << qi : 0
    // Terms without a role (a phrase scored on its own) count the same wherever the line has them.
    const row = qt.role === undefined ? -1 : QUERY_ROLE_INDEX[qt.role] * LINE_ROLES
    const end = postingStart[id + 1]!
    for (let k = postingStart[id]!; k < end; k++) {
      const line = postingLine[k]!
      if (qt.notInLines?.has(line)) continue
      const role = postingRole[k]!
      const at = line * SCORE_STRIDE
      const m = line * MASK_STRIDE
      if (masks[m + MASK_AT] === 0 && scores[at] === 0) touched[count++] = line
      scores[at]! += w * postingImpact[k]! * (row < 0 ? 1 : roleMatch[row + role]!)
      masks[m + MASK_AT]! |= bit
      if (role === LINE_ROLE.head) masks[m + HEAD_MASK_AT]! |= bit
      if (role !== LINE_ROLE.inCompound) masks[m + FREE_MASK_AT]! |= bit
    }
  }
  for (let i = 0; i < count; i++) {
    const line = touched[i]!
    // "wifi module" is a phrase: a query that shares only "module" with it has not named it.
    if (index.isPhrase[line] && index.lineTerms[line]! > 1) {
      const m = line * MASK_STRIDE
      const share = Math.min(1, popcount(masks[m + MASK_AT]!) / index.lineTerms[line]!)
      if (index.isPhrase[line] === 2 && share < 1) {
        // Not named whole: the line says nothing, not even which query words it shares.
        scores[line * SCORE_STRIDE] = 0
        masks[m + MASK_AT] = 0
        masks[m + HEAD_MASK_AT] = 0
        masks[m + FREE_MASK_AT] = 0
      } else scores[line * SCORE_STRIDE]! *= share * share
    }
  }
  scratch.count = count
}

/** How many lines hold the term (0 for a term the index does not know). */
export function linesWithTerm(index: TextIndex, term: string): number {
  const id = index.termIds.get(term)
  return id === undefined ? 0 : index.postingStart[id + 1]! - index.postingStart[id]!
}

/** Resets the lines the last `scoreLines` touched, ready for the next call. */
export function clearScores(scratch: ScoringScratch): void {
  const { scores, masks, touched } = scratch
  for (let i = 0; i < scratch.count; i++) {
    const line = touched[i]!
    scores[line * SCORE_STRIDE] = 0
    const m = line * MASK_STRIDE
    masks[m + MASK_AT] = 0
    masks[m + HEAD_MASK_AT] = 0
    masks[m + FREE_MASK_AT] = 0
  }
  scratch.count = 0
}

/** Set bits of a 32-bit mask: how many query terms a line matched. */
export function popcount(x: number): number {
  let n = x - ((x >>> 1) & 0x55555555)
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333)
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24
}

/**
 * Version of the index layout and of the code that builds it (tokenizer, line roles, BM25 impacts):
 * bump it whenever a change would build a different index, so a stale prebuilt index is rebuilt.
 */
export const TEXT_INDEX_FORMAT = 16

/** What a prebuilt index was built from: it is used only with exactly that catalogue. */
export type TextIndexKey = { dataVersion: string; builtAt: string }

type IndexHeader = TextIndexKey & {
  format: number
  lines: number
  terms: string[]
  counts: number[]
  words: string[]
  /** Words an engine build stems and their stems (`StemTable`; absent from indexes built before it). */
  stemmed?: StemTable
}

// The stems an engine build makes (`stemmedWords`, taken by `npm run build:index` right after building
// one) ride in the prebuilt index, so that a process loading it seeds its stem cache instead of running
// the Snowball stemmers on ~30,000 words (the typo corrector's vocabulary, the lists' and HS texts'
// words): about 0.3 s of each engine's start, a quarter of a CLI check.

/**
 * The index as bytes, so a process can load it instead of building it (about 1.5 s for the whole
 * vocabulary): a length-prefixed JSON header (terms, posting counts, vocabulary words), then every
 * posting's impact (float64, exact, so a loaded index scores as a built one), line and role, then the
 * per-line arrays. Line texts, codes and sources come from the catalogue the index was built from.
 */
export function serializeTextIndex(
  index: TextIndex,
  key: TextIndexKey,
  stemmed?: StemTable,
): Uint8Array {
  const terms = [...index.termIds.keys()]
  const counts = Array.from(
    index.idf,
    (_, id) => index.postingStart[id + 1]! - index.postingStart[id]!,
  )
  const header: IndexHeader = {
    format: TEXT_INDEX_FORMAT,
    ...key,
    lines: index.lineCode.length,
    terms,
    counts,
    words: [...index.wordsByStem.keys()],
    ...(stemmed ? { stemmed } : {}),
  }
  const headerBytes = new TextEncoder().encode(JSON.stringify(header))
  const total = counts.reduce((a, b) => a + b, 0)
  const n = index.lineCode.length
  const start = align8(4 + headerBytes.length)
  const bytes = new Uint8Array(start + total * 8 + total * 4 + total + 2 * n)
  new DataView(bytes.buffer).setUint32(0, headerBytes.length, true)
  bytes.set(headerBytes, 4)
  const impact = new Float64Array(bytes.buffer, start, total)
  const lines = new Int32Array(bytes.buffer, start + total * 8, total)
  const roles = bytes.subarray(start + total * 12, start + total * 13)
  impact.set(index.postingImpact)
  lines.set(index.postingLine)
  roles.set(index.postingRole)
  bytes.set(index.lineTerms, start + total * 13)
  bytes.set(index.isPhrase, start + total * 13 + n)
  return bytes
}

/**
 * The index from `serializeTextIndex`, or null when the bytes were built from another catalogue or by
 * another format (the caller then builds the index).
 */
export function deserializeTextIndex(
  raw: Uint8Array,
  vocab: VocabLine[],
  key: TextIndexKey,
): TextIndex | null {
  // Typed views need aligned offsets: copy a buffer that arrived at an odd place in a larger one.
  const bytes = raw.byteOffset % 8 === 0 ? raw : raw.slice()
  if (bytes.length < 4) return null
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true)
  let header: IndexHeader
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength)))
  } catch {
    return null
  }
  if (
    header.format !== TEXT_INDEX_FORMAT ||
    header.dataVersion !== key.dataVersion ||
    header.builtAt !== key.builtAt ||
    header.lines !== vocab.length
  )
    return null
  // Seeded only if made by this very stemmer (its fingerprint), whatever TEXT_INDEX_FORMAT says.
  if (header.stemmed) seedStems(header.stemmed)
  const total = header.counts.reduce((a, b) => a + b, 0)
  const n = header.lines
  const start = bytes.byteOffset + align8(4 + headerLength)
  const impact = new Float64Array(bytes.buffer, start, total)
  const lines = new Int32Array(bytes.buffer, start + total * 8, total)
  const roles = new Uint8Array(bytes.buffer, start + total * 12, total)
  const postingStart = new Int32Array(header.counts.length + 1)
  const idf = new Float64Array(header.counts.length)
  header.counts.forEach((count, id) => {
    postingStart[id + 1] = postingStart[id]! + count
    idf[id] = bm25Idf(n, count)
  })
  return {
    termIds: new Map(header.terms.map((t, i) => [t, i])),
    postingStart,
    postingLine: lines,
    postingImpact: impact,
    postingRole: roles,
    idf,
    lineCode: vocab.map((l) => l.code),
    lineText: vocab.map((l) => l.text),
    lineSource: vocab.map((l) => l.source),
    lineTerms: new Uint8Array(bytes.buffer, start + total * 13, n),
    isPhrase: new Uint8Array(bytes.buffer, start + total * 13 + n, n),
    wordsByStem: new Map(header.words.map((w) => [w, ''])),
  }
}

/** BM25's inverse document frequency of a term found in `count` of `n` lines. */
function bm25Idf(n: number, count: number): number {
  return Math.log(1 + (n - count + 0.5) / (count + 0.5))
}

function align8(x: number): number {
  return Math.ceil(x / 8) * 8
}
