/**
 * Suppression scopes by maker and part family over HTTP (issue 12 item 3): created, shown and audited
 * as given (the family normalised), settling only the lines of that maker's family.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeScreeningHarness } from './screening-harness'

let h: Awaited<ReturnType<typeof makeScreeningHarness>>
beforeAll(async () => {
  h = await makeScreeningHarness()
})
afterAll(() => h.close())

describe('suppressions scoped by maker and part family', () => {
  it('settles TI TPS5xxx regulators on CHP 8542.39 and nothing else', async () => {
    const { key } = await h.tenant('compliance-anna')
    const res = await h.send(key, 'POST', '/v1/suppressions', {
      scope: { maker: 'Texas Instruments', part_family: 'TPS5xxx', list_id: 'chp', hs6: '8542.39' },
      reason: 'Reviewed: TI buck regulators for the Almaty plant, end-user certificate on file',
    })
    expect(res.status).toBe(201)
    const sup = (await res.json()) as { id: string; scope: Record<string, string> }
    expect(sup.scope).toEqual({
      maker: 'Texas Instruments',
      part_family: 'TPS5',
      list_id: 'chp',
      hs6: '854239',
    })
    const got = await h.send(key, 'GET', `/v1/suppressions/${sup.id}`)
    expect(((await got.json()) as { scope: unknown }).scope).toEqual(sup.scope)

    const settled = await h.check(key, {
      description: 'Texas Instruments TPS54331DR step-down regulator',
      destination: 'RU',
    })
    expect(settled.matches.find((m) => m.list_id === 'chp')?.suppressed_by).toBe(sup.id)
    expect(settled.verdict).not.toBe('high_risk')
    expect(settled.reasons.some((r) => r.rule_id === 'suppression.applied')).toBe(true)

    for (const description of [
      'Texas Instruments TPS62130RGTR regulator',
      'Texas Instruments LM2596S-5.0 voltage regulator',
      'STM32F407VGT6 microcontroller',
    ]) {
      const other = await h.check(key, { description, destination: 'RU' })
      expect(other.matches.some((m) => m.suppressed_by)).toBe(false)
      expect(other.verdict).toBe('high_risk')
    }

    // Another tenant's identical line is not settled by it.
    const { key: bob } = await h.tenant('bob')
    const theirs = await h.check(bob, {
      description: 'Texas Instruments TPS54331DR step-down regulator',
      destination: 'RU',
    })
    expect(theirs.verdict).toBe('high_risk')

    const audit = (await (await h.send(key, 'GET', '/v1/audit?limit=1')).json()) as {
      data: { action: string; detail: { scope: unknown } }[]
    }
    expect(audit.data[0]).toMatchObject({
      action: 'suppression.created',
      detail: { scope: sup.scope },
    })
  })

  it('answers 400 problem naming the field for a part family without two letters or digits', async () => {
    const { key } = await h.tenant()
    const res = await h.send(key, 'POST', '/v1/suppressions', {
      scope: { part_family: '*' },
      reason: 'r',
    })
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    const body = (await res.json()) as { errors: { pointer: string }[] }
    expect(body.errors.map((e) => e.pointer)).toContain('/scope/part_family')
  })
})
