/**
 * The messages older than the cutoff that Export -StartDate leaves behind (issue 15, item 4), in
 * process on a generated lab: the report's stayed-behind and the preview's rooms give exactly the
 * counts the lab's legacy store holds, room by room, leaving out the rooms that stay behind whole;
 * and the report says they migrated after all when verification found -StartDate ignored.
 */
import { describe, expect, it } from 'vitest'
import { previewScope } from '../../runner/compile/preview-scope.js'
import { cutoffInstant } from '../../runner/plan/cutoff.js'
import { stayedBehind } from '../../runner/report/left-behind.js'
import { reportMarkdown } from '../../runner/report/markdown.js'
import { buildReport } from '../../runner/report/model.js'
import type { Inventory } from '../../runner/sql/inventory.js'
import { takeInventory } from '../../runner/sql/inventory.js'
import { openSqliteClient } from '../../runner/sql/sqlite.js'
import { labPlan } from '../helpers/engine-fakes.js'
import { labOlderMessages, newLab } from '../lab/fixture.js'

describe('messages older than the cutoff', () => {
  it('are counted per room and in all, exactly as the lab store holds them; only with a cutoff', async () => {
    const plan = labPlan()
    const cutoff = cutoffInstant(plan) ?? ''
    const t = await newLab({ rooms: 16, messages: 3000 })
    const inventories = new Map([['gc2010', await takeInventory(openSqliteClient(t.info.legacyStore), { cutoff })]])
    const older = labOlderMessages(t.info.legacyStore, cutoff)
    const total = [...older.values()].reduce((a, n) => a + n, 0)
    expect(older.size).toBeGreaterThan(1)

    const b = stayedBehind(plan, inventories)
    expect(new Map(b.olderMessages?.rooms.map((r) => [r.path.join('/'), r.messages]))).toEqual(older)
    expect(b.olderMessages?.messages).toBe(total)
    // A room that stays behind whole is listed with all its messages, and not among the older ones.
    const disabled = b.disabled.map((r) => r.path.join('/'))
    expect(disabled.length).toBe(1)
    expect(disabled.some((p) => older.has(p))).toBe(false)
    const inv = inventories.get('gc2010') as Inventory
    const room = inv.rooms.find((r) => [...r.categoryPath, r.name].join('/') === disabled[0])
    expect(b.disabled[0]?.messages).toBe(room?.allMessages)

    // The preview's rooms say the same, as counts.
    expect(previewScope(plan, { inventory: (s) => inventories.get(s) }).olderMessages).toEqual({ rooms: older.size, messages: total })
    expect(previewScope(plan, { inventory: () => undefined }).olderMessages).toBeUndefined()

    // Without a cutoff there is nothing older to count.
    const none = { ...plan, rooms: { ...plan.rooms, cutoff: undefined } }
    expect(stayedBehind(none, inventories).olderMessages).toBeUndefined()
    expect(previewScope(none, { inventory: (s) => inventories.get(s) }).olderMessages).toBeUndefined()
    // Every room skipped (unmapped: skip): no room is kept, so no older message is counted.
    const skipAll = { ...plan, rooms: { ...plan.rooms, unmapped: 'skip' as const, map: [] } }
    expect(stayedBehind(skipAll, inventories).olderMessages).toEqual({ rooms: [], messages: 0 })

    // When verification found that Export ignored -StartDate, the report says they migrated.
    const report = (kind: 'since-cutoff' | 'all-content') => reportMarkdown(buildReport({
      plan, steps: [], records: {}, journal: [], now: new Date('2026-12-06T04:00:00Z'), lab: true, downtime: { starts: [], end: 'cutover.start-target' },
      cutoverVersion: '0.1.0', clock: 'lab', inventories,
      verification: { expected: { categories: 0, rooms: 0, messages: 0 }, content: { kind, cutoff, olderMessages: total }, actual: inv.totals, differences: [], rooms: [] },
    }))
    const line = `**Messages older than 2019-01-01**: ${total.toLocaleString('en-US')} messages in ${older.size} rooms, `
    expect(report('since-cutoff')).toContain(`${line}not exported (Export -StartDate): `)
    expect(report('all-content')).toContain(`${line}exported all the same: verification found that Export ignored -StartDate, so they migrated: `)
  }, 60_000)
})
