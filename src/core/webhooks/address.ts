/**
 * @module webhooks/address
 * Which IP addresses a webhook may be sent to. Pure: parses IPv4 and IPv6 text (IPv4-mapped,
 * IPv4-compatible, NAT64 and 6to4 forms classified by the IPv4 address they carry) and names the
 * reason an address is refused, or null for an ordinary public unicast address.
 *
 * Why so wide a net: a webhook URL is chosen by a tenant, and the server fetches it from inside our
 * network. Any address that is not public unicast reaches something the tenant should not (loopback
 * services, the LAN, the cloud's metadata service with its credentials), so such targets are refused
 * unless the operator sets `WEBHOOK_ALLOW_PRIVATE=true`.
 */

export type AddressRefusal =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'unique-local'
  | 'multicast'
  | 'metadata'
  | 'reserved'

/** Cloud metadata services (AWS, GCP, Azure on 169.254.169.254; AWS IPv6; Alibaba). */
const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200'])

/** Host names of metadata services that resolve only inside their cloud (GCP). */
export const METADATA_HOSTNAMES = new Set(['metadata.google.internal', 'metadata.goog'])

/** IPv4 `a.b.c.d` (decimal, as URL and DNS give it) to a 32-bit number; null if not that form. */
export function parseIpv4(text: string): number | null {
  const parts = text.split('.')
  if (parts.length !== 4) return null
  let value = 0
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null
    const n = Number(part)
    if (n > 255) return null
    value = value * 256 + n
  }
  return value
}

/** IPv6 text (with `::`, an embedded dotted IPv4 tail, no zone) to its 8 groups; null if not IPv6. */
export function parseIpv6(text: string): number[] | null {
  let s = text
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1)
  if (s.includes('%') || !s.includes(':')) return null
  let tail: number[] = []
  const lastColon = s.lastIndexOf(':')
  const last = s.slice(lastColon + 1)
  if (last.includes('.')) {
    const v4 = parseIpv4(last)
    if (v4 === null) return null
    tail = [Math.floor(v4 / 65536), v4 % 65536]
    // Stand-in groups, replaced by the IPv4 address once `::` is expanded.
    s = `${s.slice(0, lastColon + 1)}0:0`
  }
  const halves = s.split('::')
  if (halves.length > 2) return null
  const groupsOf = (part: string): number[] | null => {
    if (part === '') return []
    const out: number[] = []
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null
      out.push(Number.parseInt(g, 16))
    }
    return out
  }
  const head = groupsOf(halves[0]!)
  const rest = halves.length === 2 ? groupsOf(halves[1]!) : []
  if (!head || !rest) return null
  let groups: number[]
  if (halves.length === 2) {
    const missing = 8 - head.length - rest.length
    if (missing < 1) return null
    groups = [...head, ...Array(missing).fill(0), ...rest]
  } else {
    groups = head
  }
  if (groups.length !== 8) return null
  if (tail.length) groups.splice(6, 2, ...tail)
  return groups
}

const inV4 = (ip: number, base: string, bits: number): boolean => {
  const b = parseIpv4(base)!
  const size = 2 ** (32 - bits)
  return Math.floor(ip / size) === Math.floor(b / size)
}

function classifyIpv4(ip: number, text: string): AddressRefusal | null {
  if (METADATA_ADDRESSES.has(text)) return 'metadata'
  if (inV4(ip, '0.0.0.0', 8)) return 'unspecified'
  if (inV4(ip, '127.0.0.0', 8)) return 'loopback'
  if (inV4(ip, '10.0.0.0', 8) || inV4(ip, '172.16.0.0', 12) || inV4(ip, '192.168.0.0', 16))
    return 'private'
  // Carrier-grade NAT (RFC 6598): not on the public internet; Alibaba's metadata service lives here.
  if (inV4(ip, '100.64.0.0', 10)) return 'shared'
  if (inV4(ip, '169.254.0.0', 16)) return 'link-local'
  if (inV4(ip, '224.0.0.0', 4)) return 'multicast'
  // IETF protocol assignments, documentation nets, benchmarking, and 240/4 (reserved, broadcast).
  if (
    inV4(ip, '192.0.0.0', 24) ||
    inV4(ip, '192.0.2.0', 24) ||
    inV4(ip, '198.18.0.0', 15) ||
    inV4(ip, '198.51.100.0', 24) ||
    inV4(ip, '203.0.113.0', 24) ||
    inV4(ip, '240.0.0.0', 4)
  )
    return 'reserved'
  return null
}

function v4Text(hi: number, lo: number): string {
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`
}

function classifyIpv6(g: number[]): AddressRefusal | null {
  const zeroTo = (n: number) => g.slice(0, n).every((x) => x === 0)
  const embedded = () => {
    const text = v4Text(g[6]!, g[7]!)
    return classifyIpv4(parseIpv4(text)!, text)
  }
  if (zeroTo(8)) return 'unspecified'
  if (zeroTo(7) && g[7] === 1) return 'loopback'
  // ::ffff:a.b.c.d (IPv4-mapped): the socket talks IPv4 to a.b.c.d, so judge that address.
  if (zeroTo(5) && g[5] === 0xffff) return embedded()
  // ::a.b.c.d (IPv4-compatible, deprecated) and 64:ff9b::a.b.c.d (NAT64) also carry an IPv4 target.
  if (zeroTo(6)) return embedded()
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return embedded()
  // 6to4 (2002:AABB:CCDD::/48) tunnels to the IPv4 address in its second and third groups.
  if (g[0] === 0x2002) {
    const text = v4Text(g[1]!, g[2]!)
    return classifyIpv4(parseIpv4(text)!, text)
  }
  const text = groupsText(g)
  if (METADATA_ADDRESSES.has(text)) return 'metadata'
  if ((g[0]! & 0xfe00) === 0xfc00) return 'unique-local'
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local'
  // fec0::/10 site-local (deprecated, still routed privately by some networks).
  if ((g[0]! & 0xffc0) === 0xfec0) return 'private'
  if ((g[0]! & 0xff00) === 0xff00) return 'multicast'
  // 2001:db8::/32 documentation; 100::/64 discard.
  if (g[0] === 0x2001 && g[1] === 0xdb8) return 'reserved'
  if (g[0] === 0x100 && g[1] === 0 && g[2] === 0 && g[3] === 0) return 'reserved'
  return null
}

/** The canonical compressed text of 8 groups (RFC 5952), to compare with known addresses. */
function groupsText(g: number[]): string {
  let best = -1
  let bestLen = 0
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && g[j] === 0) j++
    if (j - i > bestLen && j - i > 1) {
      best = i
      bestLen = j - i
    }
    i = j
  }
  const hex = g.map((x) => x.toString(16))
  if (best < 0) return hex.join(':')
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`
}

/** True if `text` is an IP address literal (IPv4 dotted, or IPv6 with or without brackets). */
export function isIpLiteral(text: string): boolean {
  return parseIpv4(text) !== null || parseIpv6(text) !== null
}

/**
 * Why a webhook must not be sent to `address` (an IP literal), or null if it is public unicast.
 * Text that is not an IP address is refused as `reserved`: only addresses are classified here.
 */
export function classifyAddress(address: string): AddressRefusal | null {
  const v4 = parseIpv4(address)
  if (v4 !== null) return classifyIpv4(v4, address)
  const v6 = parseIpv6(address)
  if (v6 !== null) return classifyIpv6(v6)
  return 'reserved'
}
