/**
 * verify's role counts (issue 11 item 10): Microsoft documents only that the root category's
 * managers become managers of every room. That is checked; other role-count differences are
 * reported as information and do not fail a correct migration.
 */
import { describe, expect, it } from 'vitest'
import type { Inventory, InventoryRoom } from '../../runner/sql/inventory.js'
import type { Expectation, ExpectedRoom } from '../../runner/steps/expectations.js'
import { compare, roleNotes } from '../../runner/steps/kinds/verify.js'

const want = (roles: Record<string, number>, rootManagers: number): ExpectedRoom => ({
  source: 'gc', legacyPath: ['Ops', 'Night'], importedName: 'Night', name: 'Night', importedCategory: 'Ops', category: 'Ops', messages: 10, allMessages: 10, roles, rootManagers,
})
const expected = (room: ExpectedRoom): Expectation => ({ categories: [{ source: 'gc', legacyPath: ['Ops'], importedName: 'Ops', name: 'Ops' }], rooms: [room], removed: [] })
const target = (roles: Record<string, number>): Inventory => ({
  cutoff: null,
  categories: [{ id: 2, path: ['Ops'], flattened: 'Ops' } as unknown as Inventory['categories'][number]],
  rooms: [{ id: 3, name: 'Night', categoryId: 2, categoryPath: ['Ops'], disabled: false, invite: null, visibility: 6, behavior: 4, messages: 10, allMessages: 10, roles, rootManagersHere: 0, unprovisioned: 0, federated: 0 } as InventoryRoom],
  principals: { active: 0, sipDisabled: 0, deleted: 0 }, rootManagers: 0, accessControlEntries: 0,
  totals: { categories: 1, rooms: 1, messages: 10, allMessages: 10, roles: 0 },
})

describe('verify: role holders', () => {
  it('passes a migration whose member and presenter counts differ, and reports them as information', () => {
    const e = expected(want({ Manager: 3, Member: 12, Voiced: 2 }, 2))
    const a = target({ Manager: 3, Member: 10 })
    expect(compare(e, a, undefined)).toEqual([])
    expect(roleNotes(e, a)).toEqual([
      { kind: 'roles', name: 'Night (Member)', expected: 12, actual: 10 },
      { kind: 'roles', name: 'Night (Voiced)', expected: 2, actual: 0 },
    ])
  })

  it('fails a room with fewer managers than the root category has: Microsoft says they manage every room', () => {
    const e = expected(want({ Manager: 3 }, 2))
    expect(compare(e, target({ Manager: 1 }), undefined)).toEqual([{ kind: 'roles', name: 'Night (Manager)', expected: 2, actual: 1 }])
    // More managers than the legacy room had is information only.
    expect(compare(e, target({ Manager: 5 }), undefined)).toEqual([])
    expect(roleNotes(e, target({ Manager: 5 }))).toEqual([{ kind: 'roles', name: 'Night (Manager)', expected: 3, actual: 5 }])
  })
})
