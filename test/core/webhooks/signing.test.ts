import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_RETRY_SCHEDULE,
  parseRetrySchedule,
  retryDelayMs,
} from '../../../src/core/webhooks/retry-schedule'
import { parseSecretKey, secretBox } from '../../../src/core/webhooks/secret-box'
import { newSigningSecret, webhookHeaders } from '../../../src/core/webhooks/signing'

describe('Standard Webhooks signatures', () => {
  it('verify with the reference standardwebhooks package', async () => {
    const secret = newSigningSecret()
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    const body = JSON.stringify({ type: 'check.flagged', timestamp: 'x', data: { id: 'chk_1' } })
    const headers = await webhookHeaders([secret], 'evt_1', Math.floor(Date.now() / 1000), body)
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body))
  })

  it('carry both signatures during a rotation, each verifying on its own', async () => {
    const old = newSigningSecret()
    const fresh = newSigningSecret()
    const body = '{"type":"webhook.test"}'
    const headers = await webhookHeaders([fresh, old], 'evt_2', Math.floor(Date.now() / 1000), body)
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2)
    expect(new Webhook(old).verify(body, headers)).toBeTruthy()
    expect(new Webhook(fresh).verify(body, headers)).toBeTruthy()
    expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow()
    expect(() => new Webhook(fresh).verify(`${body} `, headers)).toThrow()
  })
})

describe('secretBox', () => {
  const key = crypto.getRandomValues(new Uint8Array(32))

  it('opens what it sealed, only for the same context and key', async () => {
    const box = secretBox(key)
    const sealed = await box.seal('whsec_abc', 'whe_1')
    expect(sealed).not.toContain('whsec_abc')
    expect(await box.open(sealed, 'whe_1')).toBe('whsec_abc')
    await expect(box.open(sealed, 'whe_2')).rejects.toMatchObject({ code: 'DATA_INVALID' })
    const other = secretBox(crypto.getRandomValues(new Uint8Array(32)))
    await expect(other.open(sealed, 'whe_1')).rejects.toMatchObject({ code: 'DATA_INVALID' })
  })

  it('reads a configured key only if it is 32 bytes of base64', () => {
    expect(parseSecretKey(Buffer.from(key).toString('base64'))).toEqual(key)
    expect(parseSecretKey('c2hvcnQ=')).toBeNull()
    expect(parseSecretKey('%%%')).toBeNull()
  })
})

describe('retry schedule', () => {
  it('is the Standard Webhooks schedule by default', () => {
    expect(DEFAULT_RETRY_SCHEDULE).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000])
  })

  it('waits the scheduled time plus up to 10 % jitter, then gives up', () => {
    expect(retryDelayMs([5, 300], 1, 0)).toBe(5000)
    expect(retryDelayMs([5, 300], 1, 0.999)).toBe(5500)
    expect(retryDelayMs([5, 300], 2, 0.5)).toBe(315_000)
    expect(retryDelayMs([5, 300], 3, 0.5)).toBeNull()
  })

  it('parses WEBHOOK_RETRY_SCHEDULE', () => {
    expect(parseRetrySchedule('1,1,2')).toEqual([1, 1, 2])
    expect(parseRetrySchedule(' 0.5 , 3')).toEqual([0.5, 3])
    expect(parseRetrySchedule('1,,2')).toBeNull()
    expect(parseRetrySchedule('-1')).toBeNull()
    expect(parseRetrySchedule('100000')).toBeNull()
  })
})
