/**
 * @module countries
 * ISO 3166-1 alpha-2 country codes, from the `iso-3166-1` package (249 officially assigned codes).
 */
import iso from 'iso-3166-1'

const NAMES = new Map(iso.all().map((c) => [c.alpha2.toUpperCase(), c.country]))

export function isCountryCode(code: string): boolean {
  return NAMES.has(code.toUpperCase())
}

export function countryName(code: string): string {
  return NAMES.get(code.toUpperCase()) ?? code
}

/** Every code with its name, sorted by code: the web page's destination suggestions. */
export function allCountries(): { code: string; name: string }[] {
  return [...NAMES]
    .map(([code, name]) => ({ code, name }))
    .sort((a, b) => (a.code < b.code ? -1 : 1))
}
