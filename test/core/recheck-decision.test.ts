import { describe, expect, it } from 'vitest'
import { decideRecheck } from '../../src/core/rechecks/decide-recheck'
import type { ListMatch } from '../../src/core/schemas'

const match = (list_id: string, entry_code: string, applies?: boolean): ListMatch =>
  ({ list_id, entry_code, title: `${list_id} ${entry_code}`, applies }) as ListMatch

describe('decideRecheck', () => {
  it('produces nothing when the verdict is the same, whatever the matches did', () => {
    expect(
      decideRecheck(
        { verdict: 'review', matches: [match('chp', '848210')] },
        { verdict: 'review', matches: [match('acme', '848210')] },
      ),
    ).toEqual({ changed: false })
  })

  it('re-issues a changed verdict with the deciding matches gained and lost', () => {
    const decision = decideRecheck(
      { verdict: 'clear', matches: [match('chp', '848210', false), match('old', '8471')] },
      { verdict: 'review', matches: [match('acme', '848210'), match('watch', '8482', false)] },
    )
    expect(decision).toEqual({
      changed: true,
      matchesAdded: [{ list_id: 'acme', entry_code: '848210', title: 'acme 848210' }],
      matchesRemoved: [{ list_id: 'old', entry_code: '8471', title: 'old 8471' }],
    })
  })

  it('decides on the verdict alone when the stored matches cannot be read', () => {
    expect(decideRecheck({ verdict: 'prohibited' }, { verdict: 'clear', matches: [] })).toEqual({
      changed: true,
      matchesAdded: [],
      matchesRemoved: [],
    })
  })
})
