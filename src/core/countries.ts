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
