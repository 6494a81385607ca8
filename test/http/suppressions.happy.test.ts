import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeScreeningHarness } from './screening-harness'

let h: Awaited<ReturnType<typeof makeScreeningHarness>>
beforeAll(async () => {
  h = await makeScreeningHarness()
})
afterAll(() => h.close())

const TO_RUSSIA = {
  description: 'Deep groove ball bearing 6205-2RS',
  destination: 'KZ',
  final_destination: 'RU',
}

type Audit = { data: { action: string; actor: string; subject_id: string; detail: unknown }[] }

describe('suppressions', () => {
  it('settles CHP 8482.10 for one reference only, shows it as suppressed, and is audited', async () => {
    const { key } = await h.tenant('compliance-anna')
    const first = await h.check(key, { ...TO_RUSSIA, reference: 'INV-1/1' })
    expect(first.verdict).toBe('high_risk')

    const res = await h.send(key, 'POST', '/v1/suppressions', {
      scope: { reference: 'INV-1/1', list_id: 'chp', entry_code: '8482.10' },
      reason: 'Reviewed: bearings for a Kazakh mill, end-user certificate on file',
    })
    expect(res.status).toBe(201)
    const sup = (await res.json()) as { id: string; created_by: string }
    expect(sup.created_by).toBe('compliance-anna')

    const again = await h.check(key, { ...TO_RUSSIA, reference: 'INV-1/1' })
    const chp = again.matches.find((m) => m.list_id === 'chp' && m.entry_code === '848210')
    expect(chp).toMatchObject({ suppressed_by: sup.id, applies: false })
    expect(again.verdict).not.toBe('high_risk')
    expect(again.reasons.some((r) => r.rule_id === 'suppression.applied')).toBe(true)

    const other = await h.check(key, { ...TO_RUSSIA, reference: 'INV-2/1' })
    expect(other.verdict).toBe('high_risk')
    expect(other.matches.some((m) => m.suppressed_by)).toBe(false)

    const audit = (await (await h.send(key, 'GET', '/v1/audit')).json()) as Audit
    expect(audit.data[0]).toMatchObject({
      action: 'suppression.created',
      actor: 'compliance-anna',
      subject_id: sup.id,
    })

    // Replays keep what each check recorded: the suppression applied to the second check only.
    for (const c of [first, again]) {
      const replay = (await (await h.send(key, 'POST', `/v1/checks/${c.id}/replay`)).json()) as {
        same_result: boolean
      }
      expect(replay.same_result).toBe(true)
    }

    expect((await h.send(key, 'DELETE', `/v1/suppressions/${sup.id}`)).status).toBe(204)
    expect((await h.check(key, { ...TO_RUSSIA, reference: 'INV-1/1' })).verdict).toBe('high_risk')
    const got = (await (await h.send(key, 'GET', `/v1/suppressions/${sup.id}`)).json()) as {
      deleted_by: string
    }
    expect(got.deleted_by).toBe('compliance-anna')
    const audit2 = (await (await h.send(key, 'GET', '/v1/audit?limit=1')).json()) as Audit & {
      next_cursor: string
    }
    expect(audit2.data[0]?.action).toBe('suppression.deleted')
    const older = (await (
      await h.send(key, 'GET', `/v1/audit?limit=1&cursor=${audit2.next_cursor}`)
    ).json()) as Audit
    expect(older.data[0]?.action).toBe('suppression.created')
  })

  it('never hides a prohibition in force unless the suppression accepts it with a reason', async () => {
    const { key } = await h.tenant()
    await h.send(key, 'POST', '/v1/lists', {
      id: 'kz_official',
      name: 'Kazakh official export ban (as published)',
      mode: 'blocking',
      legal_status: 'in_force',
      source: 'test act',
    })
    await h.send(key, 'POST', '/v1/lists/kz_official/versions', {
      entries: [{ code: '848210', title: 'Ball bearings', category: 'bearings' }],
    })
    const line = { ...TO_RUSSIA, reference: 'INV-9' }
    expect((await h.check(key, line)).verdict).toBe('prohibited')

    await h.send(key, 'POST', '/v1/suppressions', {
      scope: { reference: 'INV-9' },
      reason: 'we think it is fine',
    })
    const kept = await h.check(key, line)
    expect(kept.verdict).toBe('prohibited')
    expect(kept.reasons.some((r) => r.rule_id === 'suppression.in_force_protected')).toBe(true)
    expect(kept.matches.find((m) => m.list_id === 'kz_official')?.suppressed_by).toBeUndefined()

    await h.send(key, 'POST', '/v1/suppressions', {
      scope: { reference: 'INV-9', list_id: 'kz_official' },
      reason: 'licence granted',
      accept_in_force: 'Licence KZ-2027-001 granted by the ministry',
    })
    const accepted = await h.check(key, line)
    expect(accepted.verdict).not.toBe('prohibited')
    expect(accepted.matches.find((m) => m.list_id === 'kz_official')?.suppressed_by).toMatch(
      /^sup_/,
    )
  })

  it('stops applying once it expires', async () => {
    const { key } = await h.tenant()
    const now = Date.now()
    await h.send(key, 'POST', '/v1/suppressions', {
      scope: { reference: 'INV-E', hs6: '848210' },
      reason: 'one-off',
      expires_at: new Date(now + 3_600_000).toISOString(),
    })
    const line = { ...TO_RUSSIA, reference: 'INV-E' }
    expect((await h.check(key, line)).matches.some((m) => m.suppressed_by)).toBe(true)
    h.setNow(new Date(now + 2 * 3_600_000))
    try {
      const later = await h.check(key, line)
      expect(later.matches.some((m) => m.suppressed_by)).toBe(false)
      expect(later.verdict).toBe('high_risk')
    } finally {
      h.setNow(new Date())
    }
  })

  it('refuses a scope with no field, and an expiry in the past', async () => {
    const { key } = await h.tenant()
    const empty = await h.send(key, 'POST', '/v1/suppressions', { scope: {}, reason: 'x' })
    expect(empty.status).toBe(400)
    const past = await h.send(key, 'POST', '/v1/suppressions', {
      scope: { reference: 'A' },
      reason: 'x',
      expires_at: '2001-01-01T00:00:00Z',
    })
    expect(past.status).toBe(400)
    expect(((await past.json()) as { errors: { pointer: string }[] }).errors[0]?.pointer).toBe(
      '/expires_at',
    )
  })
})

describe('settings', () => {
  it('defaults to today’s behaviour, records the digest in checks, and audits changes', async () => {
    const { key } = await h.tenant('ops')
    const defaults = (await (await h.send(key, 'GET', '/v1/settings')).json()) as {
      min_chp_match_score: number
      weak_matches_raise_review: boolean
      unreadable_review_countries: string[]
      digest: string
    }
    expect(defaults).toMatchObject({
      min_chp_match_score: 0.05,
      weak_matches_raise_review: true,
      unreadable_review_countries: [],
    })
    const line = { description: 'qwzx blorp', destination: 'CL' }
    const before = await h.check(key, line)
    expect(before.versions.settings).toBe(defaults.digest)
    expect(before.verdict).toBe('clear')

    const patched = await h.send(key, 'PATCH', '/v1/settings', {
      unreadable_review_countries: ['cl'],
    })
    expect(patched.status).toBe(200)
    const after = (await patched.json()) as {
      digest: string
      unreadable_review_countries: string[]
    }
    expect(after.unreadable_review_countries).toEqual(['CL'])
    const reviewed = await h.check(key, line)
    expect(reviewed.verdict).toBe('review')
    expect(reviewed.versions.settings).toBe(after.digest)
    expect(reviewed.reasons[0]?.rule_id).toBe('settings.unreadable_country')

    const audit = (await (await h.send(key, 'GET', '/v1/audit')).json()) as Audit
    expect(audit.data[0]).toMatchObject({ action: 'settings.changed', actor: 'ops' })

    // Both checks replay alike against the settings each recorded.
    for (const c of [before, reviewed]) {
      const replay = (await (await h.send(key, 'POST', `/v1/checks/${c.id}/replay`)).json()) as {
        same_result: boolean
      }
      expect(replay.same_result).toBe(true)
    }
  })

  it('stops weak readings from raising review when the tenant says so', async () => {
    const { key } = await h.tenant()
    // A weak CHP reading to Russia: reviewed by default.
    const line = { description: 'metal ring for machine', destination: 'RU' }
    const byDefault = await h.check(key, line)
    await h.send(key, 'PATCH', '/v1/settings', { weak_matches_raise_review: false })
    const relaxed = await h.check(key, line)
    const weakBefore = byDefault.reasons.filter((r) => r.rule_id === 'chp.weak_match')
    const weakAfter = relaxed.reasons.filter((r) => r.rule_id === 'chp.weak_match')
    expect(weakAfter).toHaveLength(0)
    if (weakBefore.length > 0)
      expect(relaxed.matches.some((m) => /weak reading/.test(m.why_not_applied ?? ''))).toBe(true)
  })
})
