/**
 * The content cutoff (issue 11, item 4): the export's -StartDate and the inventory's message counts
 * use one instant (rooms.cutoff at 00:00 in the downtime's time zone, plan/cutoff.ts), and
 * verification passes whether the export honours -StartDate or ignores it (its page says it "is
 * valid only when Level is set to RoomDirectory"), saying which happened. The lab's export
 * honours it, or with CUTOVER_LAB_FAULTS=export:ignores-startdate ignores it.
 */
import { describe, expect, it } from 'vitest'
import { compile } from '../../runner/compile/compile.js'
import { cutoffInstant } from '../../runner/plan/cutoff.js'
import { roomRulesOf } from '../../runner/plan/room-rules.js'
import type { RoomRules } from '../../runner/plan/room-rules.js'
import type { Plan } from '../../runner/plan/types.js'
import { platformOf } from '../../runner/runtimes/index.js'
import { takeInventory } from '../../runner/sql/inventory.js'
import { openSqliteClient } from '../../runner/sql/sqlite.js'
import { expectation } from '../../runner/steps/expectations.js'
import { contentSentence, verifyContent } from '../../runner/steps/kinds/verify.js'
import { labPlan } from '../helpers/engine-fakes.js'
import { exportCommand, importCommand, newLab, scopeWithoutArchive } from './fixture.js'

/** The lab plan's rules without the mappings (nothing runs but export and import): only the
 * left-out Archive stays. */
function importedAsIs(plan: Plan): RoomRules {
  const rules = roomRulesOf(plan)
  return { ...rules, categories: rules.categories.map((c) => ({ ...c, to: null })), map: [] }
}

describe('the content cutoff', () => {
  it('is one instant: 00:00 of rooms.cutoff in the downtime time zone, the same for Export -StartDate and the inventory', () => {
    const plan = labPlan()
    expect(cutoffInstant(plan)).toBe('2019-01-01T05:00:00Z') // America/New_York, EST
    expect(cutoffInstant({ ...plan, downtime: { ...plan.downtime, timezone: 'Asia/Tokyo' } })).toBe('2018-12-31T15:00:00Z')
    expect(cutoffInstant({ ...plan, rooms: { ...plan.rooms, cutoff: undefined } })).toBeNull()
    const steps = compile(plan, platformOf(plan))
    const exported = steps.find((s) => s.id === 'cutover.export.gc2010')?.input.startDate
    const counted = steps.filter((s) => s.kind === 'inventory').map((s) => s.input.cutoff)
    expect(exported).toBe('2019-01-01T05:00:00Z')
    expect(counted).toEqual(['2019-01-01T05:00:00Z', '2019-01-01T05:00:00Z'])
  })

  for (const [faults, kind] of [['', 'since-cutoff'], ['export:ignores-startdate', 'all-content']] as const) {
    it(`verification passes when the export ${faults === '' ? 'honours' : 'ignores'} -StartDate, and says ${kind}`, async () => {
      const plan = labPlan()
      const cutoff = cutoffInstant(plan)
      const t = await newLab({ rooms: 16, messages: 3000, faults })
      const legacy = await takeInventory(openSqliteClient(t.info.legacyStore), { cutoff })
      await t.lab.run(exportCommand('e.ndjson', { Scope: scopeWithoutArchive(t.info.legacyStore), StartDate: { date: cutoff ?? '' } }))
      await t.lab.run(importCommand('e.ndjson'))
      const target = await takeInventory(openSqliteClient(t.info.pchatStore), { cutoff: null })
      const rules = importedAsIs(plan)
      const expected = expectation(rules, new Map([['gc2010', legacy]]))
      const older = expected.rooms.reduce((a, r) => a + r.allMessages - r.messages, 0)
      expect(older).toBeGreaterThan(0) // the lab's messages straddle the cutoff, so the two differ
      const { differences, content } = verifyContent(expected, target, undefined, cutoff)
      expect(differences).toEqual([])
      expect(content).toEqual({ kind, cutoff: '2019-01-01T05:00:00Z', olderMessages: older })
      expect(contentSentence(content)).toMatch(kind === 'since-cutoff' ? /^content since the cutoff \(2019-01-01T05:00:00Z\): Export honoured -StartDate/ : /^all content: Export ignored -StartDate/)
    }, 60_000)
  }

  it('fails when the counts match neither the content since the cutoff nor all content', async () => {
    const plan = labPlan()
    const cutoff = cutoffInstant(plan)
    const t = await newLab({ rooms: 16, messages: 3000 })
    const legacy = await takeInventory(openSqliteClient(t.info.legacyStore), { cutoff })
    // An export from a later instant than the inventory's: fewer messages than either count.
    await t.lab.run(exportCommand('e.ndjson', { Scope: scopeWithoutArchive(t.info.legacyStore), StartDate: { date: '2021-06-01T00:00:00Z' } }))
    await t.lab.run(importCommand('e.ndjson'))
    const target = await takeInventory(openSqliteClient(t.info.pchatStore), { cutoff: null })
    const { differences, content } = verifyContent(expectation(importedAsIs(plan), new Map([['gc2010', legacy]])), target, undefined, cutoff)
    expect(content.kind).toBe('since-cutoff')
    expect(differences.filter((d) => d.kind === 'messages').length).toBeGreaterThan(0)
  }, 60_000)
})
