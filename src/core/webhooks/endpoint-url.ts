/**
 * @module webhooks/endpoint-url
 * The SSRF guard: may a webhook be sent to this URL? Checked when an endpoint is saved and again
 * before every attempt, since what a host name resolves to can change. Pure but for the resolver.
 */
import { AppError } from '../errors'
import { classifyAddress, isIpLiteral, METADATA_HOSTNAMES } from './address'
import type { HostResolver } from './ports'

export type UrlPolicy = {
  /** `WEBHOOK_ALLOW_PRIVATE=true`: http, loopback and private targets allowed (development, tests). */
  allowPrivate: boolean
  /**
   * Resolves host names so each address can be judged (Node). Absent on Workers, which cannot resolve
   * names themselves: there only IP literals and known names are judged, and Cloudflare's egress, which
   * does not route to private networks, covers the rest (docs/webhooks.md, "Safety").
   */
  resolver?: HostResolver
}

/** Why a URL is refused, as a sentence for the tenant (422 detail, delivery log); null if allowed. */
export async function urlRefusal(url: string, policy: UrlPolicy): Promise<string | null> {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return 'is not a URL'
  }
  if (parsed.protocol !== 'https:' && !(policy.allowPrivate && parsed.protocol === 'http:'))
    return policy.allowPrivate ? 'must be an http or https URL' : 'must be an https URL'
  if (parsed.username || parsed.password) return 'must not carry a user name or password'
  if (policy.allowPrivate) return null
  // URL parsing has normalized the host: IPv4 in any notation becomes dotted decimal, IPv6 compressed.
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (host === 'localhost' || host.endsWith('.localhost')) return 'must not point at localhost'
  if (METADATA_HOSTNAMES.has(host.replace(/\.$/, '')))
    return 'must not point at a cloud metadata service'
  if (isIpLiteral(host)) {
    const refusal = classifyAddress(host)
    return refusal ? `must not point at a ${refusal} address (${host})` : null
  }
  if (!policy.resolver) return null
  let addresses: string[]
  try {
    addresses = await policy.resolver.resolve(host)
  } catch {
    return `host ${host} does not resolve`
  }
  if (addresses.length === 0) return `host ${host} does not resolve`
  for (const address of addresses) {
    const refusal = classifyAddress(address)
    if (refusal) return `host ${host} resolves to a ${refusal} address (${address})`
  }
  return null
}

/** Throws UNPROCESSABLE pointing at `/url` when `url` may not receive webhooks. */
export async function assertEndpointUrl(url: string, policy: UrlPolicy): Promise<void> {
  const refusal = await urlRefusal(url, policy)
  if (refusal)
    throw new AppError('UNPROCESSABLE', `/url: ${refusal}`, {
      details: [{ pointer: '/url', message: refusal }],
    })
}
