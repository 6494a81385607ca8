import { describe, expect, it } from 'vitest'
import { urlRefusal } from '../../../src/core/webhooks/endpoint-url'
import type { HostResolver } from '../../../src/core/webhooks/ports'

/** A resolver this test controls: host → addresses. */
const resolver = (table: Record<string, string[]>): HostResolver => ({
  async resolve(host) {
    const found = table[host]
    if (!found) throw new Error('ENOTFOUND')
    return found
  },
})

const strict = {
  allowPrivate: false,
  resolver: resolver({
    'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    'sneaky.example.com': ['93.184.215.14', '10.0.0.7'],
    'v6.example.com': ['::1'],
  }),
}

describe('urlRefusal', () => {
  it.each([
    'https://127.0.0.1/hook',
    'https://[::1]/hook',
    'https://10.0.0.1/hook',
    'https://169.254.169.254/latest/meta-data/',
    'https://[fd00:ec2::254]/',
    'https://100.100.100.200/',
    'https://metadata.google.internal/computeMetadata/v1/',
    'https://localhost:8443/',
    'https://api.localhost/',
    // Other spellings of 127.0.0.1 that URL parsing normalizes.
    'https://2130706433/',
    'https://0x7f.1/',
    'https://127.1/',
    'https://[::ffff:127.0.0.1]/',
  ])('refuses %s', async (url) => {
    expect(await urlRefusal(url, strict)).toMatch(/must not point at/)
  })

  it('refuses http unless private targets are allowed', async () => {
    expect(await urlRefusal('http://hooks.example.com/', strict)).toBe('must be an https URL')
    expect(await urlRefusal('http://127.0.0.1:9/', { allowPrivate: true })).toBeNull()
    expect(await urlRefusal('ftp://127.0.0.1/', { allowPrivate: true })).toMatch(/http or https/)
  })

  it('refuses credentials in the URL and what is not a URL', async () => {
    expect(await urlRefusal('https://u:p@hooks.example.com/', strict)).toMatch(/user name/)
    expect(await urlRefusal('not a url', strict)).toBe('is not a URL')
  })

  it('allows a host whose every address is public', async () => {
    expect(await urlRefusal('https://hooks.example.com/dualuse?x=1', strict)).toBeNull()
  })

  it('refuses a host if any address it resolves to is private', async () => {
    expect(await urlRefusal('https://sneaky.example.com/', strict)).toBe(
      'host sneaky.example.com resolves to a private address (10.0.0.7)',
    )
    expect(await urlRefusal('https://v6.example.com/', strict)).toMatch(/loopback address \(::1\)/)
  })

  it('refuses a host that does not resolve', async () => {
    expect(await urlRefusal('https://nowhere.example.com/', strict)).toMatch(/does not resolve/)
  })

  it('judges only IP literals and known names without a resolver (Workers)', async () => {
    const edge = { allowPrivate: false }
    expect(await urlRefusal('https://hooks.example.com/', edge)).toBeNull()
    expect(await urlRefusal('https://10.0.0.1/', edge)).toMatch(/private/)
  })
})
