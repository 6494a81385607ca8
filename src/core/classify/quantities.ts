/**
 * @module classify/quantities
 * Quantities a description states and the ranges the tariff decides by. Many HS texts split sibling
 * subheadings, and a few headings, by a quantity: "DC motors of an output not exceeding 750W" beside
 * "exceeding 750W but not exceeding 75kW" (8501.31/32), "for a voltage not exceeding 1000 volts"
 * (8536, 8544.42/49) beside "exceeding 1000 volts" (8535, 8544.60), "cylinder capacity over 1000 but not
 * over 1500cc" (8703.22). The words of "1.5 kW DC motor" read both DC subheadings alike; the figure
 * decides. Numbers are never goods words (docs/engine.md §2): they are read here, as attributes, apart
 * from the text index.
 *
 * A quantity is a value in a base unit of its dimension (W, VA, V, cm³, kg, mm). A range is read from one
 * clause of a tariff text (between commas or semicolons), so "of a width of 600mm or more, …, of a
 * thickness of 4.75mm or more but not exceeding 10mm" gives two length ranges. Percentages ("containing
 * by weight 85% or more of cotton") and linear densities (decitex) name what they measure in words the
 * figure does not carry (of which element, of which fibre), so neither is read.
 */
import { writesLowerCase } from './text'

/**
 * What a figure measures. A length is read with the property it measures when the text names one
 * ("of a width of 600mm or more", "толщиной 2 мм"), since the tariff bounds width and thickness of the
 * same goods apart; an unnamed length ("2mm x 1250mm") meets only ranges that name none.
 */
export type Dimension =
  | 'power'
  | 'apparentPower'
  | 'voltage'
  | 'volume'
  | 'mass'
  | 'length'
  | 'width'
  | 'thickness'
  | 'diameter'
  | 'height'

/** A bound on one dimension, in its base unit; an absent end is open. */
export type QuantityRange = {
  dimension: Dimension
  min?: number
  minInclusive?: boolean
  max?: number
  maxInclusive?: boolean
}

/**
 * A stated quantity: a value ("1.5 kW": min = max) or, when the description bounds it as the tariff
 * does ("на напряжение не более 1000 В", "width less than 40 cm"), that bound. `written` as stated.
 */
export type Quantity = QuantityRange & { written?: string }

/** Words naming the property a length measures, English and Russian stems. */
const LENGTH_PROPERTIES: readonly [RegExp, Dimension][] = [
  [/\b(?:width|wide)\b|ширин/i, 'width'],
  [/\b(?:thickness|thick)\b|толщин/i, 'thickness'],
  [/\bdiameter\b|диаметр/i, 'diameter'],
  [/\b(?:height|high|tall)\b|высот/i, 'height'],
  [/\b(?:length|long)\b|длин/i, 'length'],
]
function lengthProperty(text: string): Dimension {
  return LENGTH_PROPERTIES.find(([pattern]) => pattern.test(text))?.[1] ?? 'length'
}
/** Adjectives follow the figure they qualify ("2 mm thick 1250 mm wide"): "thick" is not 1250's. */
const LENGTH_ADJECTIVES = /\b(?:wide|thick|high|tall|long)\b/gi
/**
 * The property a description's length figure measures: named in its own words before it ("thickness
 * 2 mm width 1250 mm": 2 is the thickness, though "width" follows), else in the words after it.
 */
function statedLengthProperty(before: string, after: string): Dimension {
  const own = lengthProperty(before.replace(LENGTH_ADJECTIVES, ' '))
  return own !== 'length' ? own : lengthProperty(after)
}

/**
 * Units as written, each with its dimension and its factor to the base unit. Case matters only where
 * a unit's case is its meaning (MW megawatt against mW milliwatt, В volt against the preposition "в").
 * Longest spellings first, so "kva" is not read as "kv" followed by a letter.
 */
const UNITS: readonly [
  spelling: string,
  dimension: Dimension,
  factor: number,
  caseSensitive?: true,
][] = [
  ['kilowatts', 'power', 1e3],
  ['kilowatt', 'power', 1e3],
  ['watts', 'power', 1],
  ['watt', 'power', 1],
  ['kw', 'power', 1e3],
  ['MW', 'power', 1e6, true],
  ['mW', 'power', 1e-3, true],
  ['w', 'power', 1],
  ['hp', 'power', 745.7],
  ['л.с.', 'power', 735.5],
  ['л. с.', 'power', 735.5],
  ['квт', 'power', 1e3],
  ['МВт', 'power', 1e6, true],
  ['мВт', 'power', 1e-3, true],
  ['вт', 'power', 1],
  ['kva', 'apparentPower', 1e3],
  ['mva', 'apparentPower', 1e6],
  ['va', 'apparentPower', 1],
  ['ква', 'apparentPower', 1e3],
  ['мва', 'apparentPower', 1e6],
  ['ва', 'apparentPower', 1],
  ['kilovolts', 'voltage', 1e3],
  ['kilovolt', 'voltage', 1e3],
  ['volts', 'voltage', 1],
  ['volt', 'voltage', 1],
  ['kv', 'voltage', 1e3],
  ['mV', 'voltage', 1e-3, true],
  ['v', 'voltage', 1],
  ['кв', 'voltage', 1e3],
  ['В', 'voltage', 1, true],
  ['cm3', 'volume', 1],
  ['cm³', 'volume', 1],
  ['ccm', 'volume', 1],
  ['cc', 'volume', 1],
  ['ml', 'volume', 1],
  ['litres', 'volume', 1e3],
  ['liters', 'volume', 1e3],
  ['litre', 'volume', 1e3],
  ['liter', 'volume', 1e3],
  ['l', 'volume', 1e3],
  ['см3', 'volume', 1],
  ['см³', 'volume', 1],
  ['куб. см', 'volume', 1],
  ['куб.см', 'volume', 1],
  ['мл', 'volume', 1],
  ['литров', 'volume', 1e3],
  ['литра', 'volume', 1e3],
  ['литр', 'volume', 1e3],
  ['л', 'volume', 1e3],
  ['tonnes', 'mass', 1e3],
  ['tonne', 'mass', 1e3],
  ['tons', 'mass', 1e3],
  ['kgs', 'mass', 1],
  ['kg', 'mass', 1],
  ['lbs', 'mass', 0.4536],
  ['lb', 'mass', 0.4536],
  ['grams', 'mass', 1e-3],
  ['gram', 'mass', 1e-3],
  ['g', 'mass', 1e-3],
  ['t', 'mass', 1e3],
  ['тонны', 'mass', 1e3],
  ['тонн', 'mass', 1e3],
  ['тонна', 'mass', 1e3],
  ['кг', 'mass', 1],
  ['гр', 'mass', 1e-3],
  ['г', 'mass', 1e-3],
  ['т', 'mass', 1e3],
  ['mm', 'length', 1],
  ['cm', 'length', 10],
  ['metres', 'length', 1e3],
  ['meters', 'length', 1e3],
  ['metre', 'length', 1e3],
  ['meter', 'length', 1e3],
  ['m', 'length', 1e3],
  ['мм', 'length', 1],
  ['см', 'length', 10],
  ['м', 'length', 1e3],
]

const escapeForPattern = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/**
 * A number as written: "1.5", "1,5", "1,000", "1 000", "4.75". Thousands are grouped by a space, a
 * no-break space or a narrow one (U+00A0, U+202F: what Russian spreadsheets and word processors write).
 */
const NUMBER = String.raw`\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)?`
/**
 * A unit ends where no letter, digit, "/" (g/m2) or power sign (m², m3) follows, nor a hyphen and a
 * digit: "5W-30" is an oil's viscosity grade (SAE J300), not five watts.
 */
const UNIT_END = String.raw`(?![\p{L}\p{N}/²³]|-\d)`
const UNIT = `(${UNITS.map(([s]) => escapeForPattern(s)).join('|')})${UNIT_END}`
/** Where a description's figure may start: not inside a word or another figure, but after "AC"/"DC". */
const FIGURE_START = String.raw`(?:(?<=\b(?:ac|dc))|(?<![\p{L}\p{N}.,]))`
/**
 * Not at a thousands group of a figure that may start before it ("1 000 000"): that start has
 * already tried every ending this one could, and trying each group again makes a long run of groups
 * ("111 111 111 …" without a unit) cost the square of its length.
 */
const NOT_A_GROUP = String.raw`(?:(?<!${FIGURE_START}\d+[ \u00a0\u202f])|(?!\d{3}(?!\d)))`
/** "0.6/1 kV", "100-240V", "12 to 24 V": a range as written; its upper end is the rating. */
const QUERY_QUANTITY = new RegExp(
  String.raw`${FIGURE_START}${NOT_A_GROUP}(${NUMBER})(?:\s*(?:/|-|–|~|to|до)\s*(${NUMBER}))?\s?${UNIT}`,
  'giu',
)

/**
 * "1/2 l", "3/4 hp", "1/4 W": a common fraction of the unit, not a range. Only denominators a
 * fraction is written with; the pairs that rate cables and supplies ("6/10 kV", "12/24 V", "230/400 V")
 * have others or a numerator as large.
 */
const FRACTION_DENOMINATORS: ReadonlySet<string> = new Set(['2', '3', '4', '8', '16'])
function fractionOf(numerator: string, denominator: string): number | undefined {
  if (!/^\d+$/.test(numerator) || !FRACTION_DENOMINATORS.has(denominator)) return undefined
  const value = Number(numerator) / Number(denominator)
  return value < 1 ? value : undefined
}

/** A figure as a number: a comma before exactly three digits groups thousands, else it is a decimal. */
export function parseNumber(written: string): number {
  const plain = written.replace(/[ \u00a0\u202f]/g, '')
  if (/^\d{1,3}(?:,\d{3})+$/.test(plain)) return Number(plain.replace(/,/g, ''))
  return Number(plain.replace(',', '.'))
}

function unitOf(written: string): { dimension: Dimension; factor: number } | undefined {
  for (const [spelling, dimension, factor, caseSensitive] of UNITS) {
    if (caseSensitive ? written === spelling : written.toLowerCase() === spelling.toLowerCase())
      return { dimension, factor }
  }
  return undefined
}

/**
 * The unit a match names, with the case rules the table keeps: the regex matches case-insensitively,
 * so "mw" may be "MW" or "mW" and "в" may be the preposition.
 */
function unitAsWritten(written: string, spaced: boolean): ReturnType<typeof unitOf> {
  // "3 в 1", "10 в коробке": a spaced lowercase "в" is the preposition; "380в", "380 В" are volts.
  if (written === 'в' && spaced) return undefined
  if (written === 'в') return { dimension: 'voltage', factor: 1 }
  if (/^mw$/i.test(written) && written !== 'MW' && written !== 'mW')
    return { dimension: 'power', factor: written === 'Mw' ? 1e6 : 1e-3 }
  if (/^мвт$/i.test(written) && written !== 'МВт' && written !== 'мВт')
    return { dimension: 'power', factor: written[0] === 'М' ? 1e6 : 1e-3 }
  return unitOf(written)
}

/** Bound words before a figure: which end it sets, and whether the figure itself is inside. */
const BOUND_BEFORE: readonly [RegExp, 'max' | 'min', boolean][] = [
  [/^(?:not exceeding|not over|not more than|up to|не более|не свыше|до)$/i, 'max', true],
  [/^(?:less than|менее)$/i, 'max', false],
  [/^(?:not less than|at least|не менее|от)$/i, 'min', true],
  [/^(?:exceeding|over|more than|greater than|более|свыше)$/i, 'min', false],
]
function boundRule(written: string): { end: 'min' | 'max'; inclusive: boolean } | undefined {
  const rule = BOUND_BEFORE.find(([pattern]) => pattern.test(written.replace(/\s+/g, ' ')))
  return rule && { end: rule[1], inclusive: rule[2] }
}
const BOUND_WORDS =
  'not exceeding|not over|not more than|not less than|up to|less than|at least|exceeding|over|more than|greater than|не более|не свыше|не менее|менее|более|свыше|до|от'
/** The bound word written right before a figure of a description ("не более 1000 В", "less than 40 cm"). */
const BOUND_JUST_BEFORE = new RegExp(String.raw`(?<![\p{L}])(${BOUND_WORDS})\s+$`, 'iu')
/** "40 cm or more": a bound written after the unit. */
const BOUND_JUST_AFTER = /^\s+(?:or more|or less|или более|или менее)(?![\p{L}])/iu

/**
 * The quantities a description states, each in its base unit: a value, or the bound the description
 * writes around it; a written range ("0.6/1 kV", "100-240V") gives its upper end.
 */
export function readQuantities(description: string): Quantity[] {
  const out: Quantity[] = []
  const lineHasLowerCase = writesLowerCase(description)
  for (const m of description.matchAll(QUERY_QUANTITY)) {
    const spaced = /\s$/.test(m[0].slice(0, m[0].length - m[3]!.length))
    const unit = unitAsWritten(m[3]!, spaced)
    if (!unit) continue
    const start = m.index!
    const end = start + m[0].length
    // "50 кв.м", "20 кв. м": square metres, not kilovolts.
    if (
      /^кв$/i.test(m[3]!) &&
      /^\.?\s?м(?:етр|(?![\p{L}]))/iu.test(description.slice(end, end + 8))
    )
      continue
    const fraction = m[2] === undefined ? undefined : fractionOf(m[1]!, m[2])
    const value = fraction ?? parseNumber(m[2] ?? m[1]!)
    // The gram is "g": "5G router", "4G modem", "cable 3G 2.5" name a network generation or a core
    // count. Not in a line written all in capitals ("COFFEE 500G"), nor where no generation is meant.
    if (
      m[3] === 'G' &&
      !spaced &&
      lineHasLowerCase &&
      Number.isInteger(value) &&
      value >= 2 &&
      value <= 6
    )
      continue
    // "2020 г." is a year.
    if (unit.dimension === 'mass' && /^г$/i.test(m[3]!) && value >= 1900 && value <= 2100) continue
    if (!Number.isFinite(value) || value <= 0) continue
    const before = description.slice(Math.max(0, start - 30), start)
    const after = description.slice(end, end + 14)
    // "760 мм рт. ст.", "10 mm Hg", "500 мм вод. ст.": a pressure written as the height of a column.
    if (unit.dimension === 'length' && COLUMN_OF_LIQUID.test(after)) continue
    const dimension =
      unit.dimension === 'length'
        ? // Its own words only: up to the figure before it and the next one, within the clause.
          statedLengthProperty(before.split(/[,;\d]/).pop()!, after.split(/[,;\d]/)[0]!)
        : unit.dimension
    const base = value * unit.factor
    const written = m[0].trim()
    const boundBefore = before.match(BOUND_JUST_BEFORE)?.[1]
    const boundAfter = after.match(BOUND_JUST_AFTER)?.[0]
    // "блок питания от 220 В", "зарядка от 12 В": a voltage after "от" is the supply it runs from,
    // not "220 V or more"; "от … до …" stays a range.
    const suppliedFrom =
      unit.dimension === 'voltage' &&
      /^от$/i.test(boundBefore ?? '') &&
      m[2] === undefined &&
      !/^\s*до(?!\p{L})/iu.test(after)
    const rule = boundBefore && !suppliedFrom ? boundRule(boundBefore) : undefined
    if (fraction !== undefined)
      out.push({ dimension, min: base, minInclusive: true, max: base, maxInclusive: true, written })
    else if (rule && rule.end === 'min' && m[2] !== undefined)
      // "от 5 до 10 кг", "over 5 to 10 kW": the bound word is the lower end's; the range is both ends.
      out.push({
        dimension,
        min: parseNumber(m[1]!) * unit.factor,
        minInclusive: rule.inclusive,
        max: base,
        maxInclusive: true,
        written,
      })
    else if (rule)
      out.push({ dimension, [rule.end]: base, [`${rule.end}Inclusive`]: rule.inclusive, written })
    else if (boundAfter)
      out.push(
        /less|менее/i.test(boundAfter)
          ? { dimension, max: base, maxInclusive: true, written }
          : { dimension, min: base, minInclusive: true, written },
      )
    else
      out.push({ dimension, min: base, minInclusive: true, max: base, maxInclusive: true, written })
  }
  // "массой более 2 000 кг, но не более 15 000 кг": a lower bound and the upper bound after it are one range.
  return out.flatMap((q, i) => {
    const next = out[i + 1]
    const previous = out[i - 1]
    if (isLowerOnly(q) && next && isUpperOnly(next) && next.dimension === q.dimension)
      return [
        {
          ...q,
          max: next.max,
          maxInclusive: next.maxInclusive,
          written: `${q.written} … ${next.written}`,
        },
      ]
    if (isUpperOnly(q) && previous && isLowerOnly(previous) && previous.dimension === q.dimension)
      return []
    return [q]
  })
}
/** After a length: the liquid whose column it measures (mercury, water), so a pressure. */
const COLUMN_OF_LIQUID = /^\s*(?:рт\.?|вод\.?\s?ст|hg\b|of mercury|of water|h2o\b|wc\b|w\.c\.)/iu

const isLowerOnly = (q: QuantityRange) => q.min !== undefined && q.max === undefined
const isUpperOnly = (q: QuantityRange) => q.max !== undefined && q.min === undefined

/** "750W", "1000 volts", "over 1000 but not over 1500cc" (a figure without its unit takes the next one's). */
const RANGE_FIGURE = new RegExp(
  String.raw`(?:(?<![\p{L}])(${BOUND_WORDS})\s+(?:(?:that of|a|an)\s+)?)?(${NUMBER})\s*(?:${UNIT})?(?:\s+(or more|or less|or greater|или более|или менее))?`,
  'giu',
)

type Bound = { end: 'min' | 'max'; inclusive: boolean; value: number; unit?: string }

/** The ranges one tariff text states: per clause, per dimension, the bounds its figures set. */
export function readRanges(text: string): QuantityRange[] {
  // Two HS texts in three state no figure at all: skip them before splitting into clauses.
  if (!/\d/.test(text)) return []
  const out: QuantityRange[] = []
  // "более 750 Вт, но не более 75 кВт": a comma before "но"/"but" goes on with the same range.
  for (const clause of text.split(/[;,](?=\s)(?!\s*(?:но|but)(?!\p{L}))|[()]/u)) {
    const bounds: Bound[] = []
    for (const m of clause.matchAll(RANGE_FIGURE)) {
      const before = m[1]
      const after = m[4]
      if (!before && !after) continue
      const value = parseNumber(m[2]!)
      if (!Number.isFinite(value)) continue
      if (after) {
        const max = /less/i.test(after) || /менее/i.test(after)
        bounds.push({ end: max ? 'max' : 'min', inclusive: true, value, unit: m[3] })
      }
      if (before) {
        const rule = boundRule(before)
        if (rule) bounds.push({ end: rule.end, inclusive: rule.inclusive, value, unit: m[3] })
      }
    }
    // A bound without a unit takes the next one's ("over 1000 but not over 1500cc"), else the last.
    const ranges = new Map<Dimension, QuantityRange>()
    bounds.forEach((bound, i) => {
      const written =
        bound.unit ??
        bounds.slice(i + 1).find((b) => b.unit)?.unit ??
        bounds
          .slice(0, i)
          .reverse()
          .find((b) => b.unit)?.unit
      const unit = written === undefined ? undefined : unitAsWritten(written, false)
      if (!unit) return
      const dimension = unit.dimension === 'length' ? lengthProperty(clause) : unit.dimension
      const range = ranges.get(dimension) ?? { dimension }
      const value = bound.value * unit.factor
      if (bound.end === 'max') {
        range.max = value
        range.maxInclusive = bound.inclusive
      } else {
        range.min = value
        range.minInclusive = bound.inclusive
      }
      ranges.set(dimension, range)
    })
    out.push(...ranges.values())
  }
  return out
}

/** Whether two bounds on a dimension share a value (figures within a billionth are equal). */
export function overlaps(a: QuantityRange, b: QuantityRange): boolean {
  // The higher of the two lower ends against the lower of the two upper ends.
  const low = lowerOf(a, b)
  const high = upperOf(a, b)
  if (low.value === undefined || high.value === undefined) return true
  const tolerance = 1e-9 * Math.max(1, Math.abs(low.value), Math.abs(high.value))
  if (low.value < high.value - tolerance) return true
  if (low.value > high.value + tolerance) return false
  return low.inclusive && high.inclusive
}
function lowerOf(a: QuantityRange, b: QuantityRange): { value?: number; inclusive: boolean } {
  if (a.min === undefined) return { value: b.min, inclusive: b.minInclusive ?? true }
  if (b.min === undefined || a.min > b.min)
    return { value: a.min, inclusive: a.minInclusive ?? true }
  if (b.min > a.min) return { value: b.min, inclusive: b.minInclusive ?? true }
  return { value: a.min, inclusive: (a.minInclusive ?? true) && (b.minInclusive ?? true) }
}
function upperOf(a: QuantityRange, b: QuantityRange): { value?: number; inclusive: boolean } {
  if (a.max === undefined) return { value: b.max, inclusive: b.maxInclusive ?? true }
  if (b.max === undefined || a.max < b.max)
    return { value: a.max, inclusive: a.maxInclusive ?? true }
  if (b.max < a.max) return { value: b.max, inclusive: b.maxInclusive ?? true }
  return { value: a.max, inclusive: (a.maxInclusive ?? true) && (b.maxInclusive ?? true) }
}

export type RangeFit = 'fits' | 'contradicts' | 'silent'

/**
 * How a code's ranges meet the stated quantities. `contradicts`: for some dimension the description
 * states, a range of the code shares no value with any of its quantities; `fits`: the description states a dimension
 * the code bounds and every such range holds one of its values; `silent`: no dimension in common.
 */
export function rangeFit(ranges: readonly QuantityRange[], stated: readonly Quantity[]): RangeFit {
  let shared = false
  for (const range of ranges) {
    const values = stated.filter((q) => q.dimension === range.dimension)
    if (values.length === 0) continue
    shared = true
    if (!values.some((q) => overlaps(range, q))) return 'contradicts'
  }
  return shared ? 'fits' : 'silent'
}

/** Words of a tariff text that say what goods it names, not how much: no figures, no bound words. */
const BOUND_OR_UNIT_WORD =
  /^(?:not|exceeding|over|more|less|than|but|or|of|a|an|the|and|for|with|by|weighing|output|capacity|voltage|volts|кроме|не|более|менее|но|или|для)$/

function titleWords(title: string): Set<string> {
  return new Set(
    title
      .toLowerCase()
      .split(/[^\p{L}]+/u)
      .filter((w) => w.length >= 3 && !BOUND_OR_UNIT_WORD.test(w)),
  )
}

/**
 * The dimensions by which a heading's own text splits it from another heading of its chapter and a
 * reading may cross to that heading: the voltage of electrical apparatus (8535 above 1,000 V, 8536 up
 * to it), which a description states as the apparatus's rating. The other split headings bound widths
 * and thicknesses (7208/7211, 7606/7607), capacities (7309/7310) and weights (3105), figures a
 * description often gives of something else (the coil, the package), and their heading texts bound
 * only some of their goods ("in packages of a gross weight not exceeding 10 kg"); crossing by them
 * cost an hsbench-descriptions HS-4 row (BENCHMARKS.md step 65). Within a heading every dimension moves.
 */
const HEADING_SPLIT_DIMENSIONS: ReadonlySet<Dimension> = new Set(['voltage'])

export type RangeReader = {
  /** The ranges a subheading's HS text states (its own and, as the HS texts repeat them, its heading's). */
  rangesOf(hs6: string): readonly QuantityRange[]
  /**
   * For a subheading whose ranges the stated quantities contradict, the sibling the tariff puts such
   * goods in: a subheading of the same heading, or of a heading the tariff splits from it by voltage
   * (8535/8536; `HEADING_SPLIT_DIMENSIONS`), whose ranges they fit; among several, the one whose text shares
   * most words with the candidate's (the DC motor's range sibling is the next DC motor, not an AC one),
   * then the one the text reads best (`scoreOf`). Undefined when none fits.
   */
  fittingSibling(
    hs6: string,
    stated: readonly Quantity[],
    scoreOf: (hs6: string) => number,
  ): string | undefined
}

export function createRangeReader(
  hs: readonly { code: string; level: string; title: string }[],
): RangeReader {
  const ranges = new Map<string, QuantityRange[]>()
  const titles = new Map<string, string>()
  const subheadingsOf = new Map<string, string[]>()
  const headingDimensions = new Map<string, Set<Dimension>>()
  for (const h of hs) {
    if (h.level === 'heading') {
      const dimensions = new Set(
        readRanges(h.title)
          .map((r) => r.dimension)
          .filter((d) => HEADING_SPLIT_DIMENSIONS.has(d)),
      )
      if (dimensions.size > 0) headingDimensions.set(h.code, dimensions)
    }
    if (h.level !== 'subheading') continue
    titles.set(h.code, h.title)
    const read = readRanges(h.title)
    if (read.length > 0) ranges.set(h.code, read)
    const heading = h.code.slice(0, 4)
    subheadingsOf.set(heading, [...(subheadingsOf.get(heading) ?? []), h.code])
  }
  // Headings the tariff splits by a quantity: in one chapter, each heading's own text bounds it.
  const splitPartners = new Map<string, string[]>()
  for (const [heading, dimensions] of headingDimensions)
    splitPartners.set(
      heading,
      [...headingDimensions]
        .filter(
          ([other, its]) =>
            other !== heading &&
            other.slice(0, 2) === heading.slice(0, 2) &&
            [...its].some((d) => dimensions.has(d)),
        )
        .map(([other]) => other),
    )
  const wordsOf = new Map<string, Set<string>>()
  const words = (hs6: string) => {
    let out = wordsOf.get(hs6)
    if (!out) {
      out = titleWords(titles.get(hs6) ?? '')
      wordsOf.set(hs6, out)
    }
    return out
  }
  return {
    rangesOf: (hs6) => ranges.get(hs6) ?? [],
    fittingSibling(hs6, stated, scoreOf) {
      const heading = hs6.slice(0, 4)
      const own = words(hs6)
      let best: { code: string; shared: number; score: number } | undefined
      for (const h of [heading, ...(splitPartners.get(heading) ?? [])])
        for (const code of subheadingsOf.get(h) ?? []) {
          if (code === hs6 || rangeFit(ranges.get(code) ?? [], stated) !== 'fits') continue
          let shared = 0
          for (const w of words(code)) if (own.has(w)) shared++
          const score = scoreOf(code)
          if (
            !best ||
            shared > best.shared ||
            (shared === best.shared && score > best.score) ||
            (shared === best.shared && score === best.score && code < best.code)
          )
            best = { code, shared, score }
        }
      return best?.code
    },
  }
}
