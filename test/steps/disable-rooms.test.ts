/**
 * `action: disable` (issue 11 item 10): Microsoft says to mark rooms not to migrate disabled in
 * the legacy system before the export. cutover offers it as a manual checkpoint in prepare, and
 * expects such rooms neither exported nor in the target.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compile } from '../../runner/compile/compile.js'
import type { Step } from '../../runner/core/step.js'
import { validatePlanText } from '../../runner/plan/load.js'
import type { Plan } from '../../runner/plan/types.js'
import { roomRulesOf } from '../../runner/plan/room-rules.js'
import { platformOf } from '../../runner/runtimes/index.js'
import type { Inventory, InventoryRoom } from '../../runner/sql/inventory.js'
import { expectation } from '../../runner/steps/expectations.js'
import { disableRoomsKind } from '../../runner/steps/kinds/disable-rooms.js'
import type { DisableRoomsInput } from '../../runner/steps/kinds/disable-rooms.js'
import { ROOT } from '../helpers/cli.js'

function plan(map: string): Plan {
  const r = validatePlanText(`${readFileSync(join(ROOT, 'test/plans/minimal.yaml'), 'utf8')}rooms:\n  map:\n${map}`, 'disable.yaml')
  if (r.plan === undefined) throw new Error(JSON.stringify(r.findings))
  return r.plan
}

const room = (name: string, disabled: boolean): InventoryRoom => ({ id: name.length, name, categoryId: 2, categoryPath: ['Ops'], disabled, invite: null, visibility: 6, behavior: 4, messages: 1, allMessages: 1, roles: {}, rootManagersHere: 0, unprovisioned: 0, federated: 0 })
const inventory = (rooms: InventoryRoom[]): Inventory => ({
  cutoff: null, categories: [{ id: 2, path: ['Ops'], flattened: 'Ops' } as unknown as Inventory['categories'][number]], rooms,
  principals: { active: 0, sipDisabled: 0, deleted: 0 }, rootManagers: 0, accessControlEntries: 0, totals: { categories: 1, rooms: rooms.length, messages: rooms.length, allMessages: rooms.length, roles: 0 },
})

describe('action: disable', () => {
  const p = plan('    - { source: gc, room: Ops/Old, action: disable }\n    - { source: gc, room: Ops/Older, action: disable }\n')

  it('validates, and pauses the prepare phase for the admin to disable the rooms in the legacy Admin Tool', () => {
    const steps = compile(p, platformOf(p))
    const step = steps.find((s) => s.kind === 'disable-rooms') as Step<'disable-rooms', DisableRoomsInput>
    expect(step.id).toBe('prepare.disable-rooms.gc')
    expect(step.phase).toBe('prepare')
    expect(disableRoomsKind.traits.manual).toBe(true)
    expect(step.input.instructions).toMatch(/Group Chat Admin Tool of gc, mark these rooms disabled: Ops\/Old; Ops\/Older/)
    const ids: string[] = steps.map((s) => s.id)
    expect(ids.indexOf('prepare.disable-rooms.gc')).toBeLessThan(ids.indexOf('cutover.export.gc'))
  })

  it('expects a room disabled at the freeze nowhere, and removes one still enabled after the import', () => {
    const e = expectation(roomRulesOf(p), new Map([['gc', inventory([room('Old', true), room('Older', false), room('Kept', false)])]]))
    expect(e.rooms.map((r) => r.name)).toEqual(['Ops Kept'])
    expect(e.removed).toEqual([{ source: 'gc', legacyPath: ['Ops', 'Older'], name: 'Ops Older' }])
  })

  it('refuses other changes on a disabled room', () => {
    const r = validatePlanText(`${readFileSync(join(ROOT, 'test/plans/minimal.yaml'), 'utf8')}rooms:\n  map:\n    - { source: gc, room: Ops/Old, action: disable, rename: New }\n`, 'disable.yaml')
    expect(r.findings).toContainEqual(expect.objectContaining({ rule: 'skip-with-changes', severity: 'error' }))
  })
})
