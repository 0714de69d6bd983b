import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compile } from '../../runner/compile/compile.js'
import { buildPreview } from '../../runner/compile/preview.js'
import { validatePlanText } from '../../runner/plan/load.js'
import type { Plan } from '../../runner/plan/types.js'
import type { Inventory } from '../../runner/sql/inventory.js'
import { platformOf } from '../../runner/runtimes/index.js'
import { NOTHING_KNOWN } from '../../runner/steps/define.js'
import type { RenderKnowledge } from '../../runner/steps/define.js'
import { ROOT } from '../helpers/cli.js'

function plan(edit: (t: string) => string = (t) => t): Plan {
  const r = validatePlanText(edit(readFileSync(join(ROOT, 'plans', 'contoso-lync2010.yaml'), 'utf8')), 'p.yaml')
  if (r.plan === undefined) throw new Error(JSON.stringify(r.findings))
  return r.plan
}

function preview(p: Plan, known: RenderKnowledge, records = {}) {
  return buildPreview({ plan: p, steps: compile(p, platformOf(p)), platform: platformOf(p), emulator: true, records, findings: [], known, now: new Date('2026-12-01T00:00:00Z'), renderScript: () => '' })
}

const withMessages = (messages: number): RenderKnowledge => ({
  inventory: (source): Inventory | undefined => (source === 'gc2010'
    ? { cutoff: null, categories: [], rooms: [], principals: { active: 0, sipDisabled: 0, deleted: 0 }, rootManagers: 0, accessControlEntries: 0, totals: { messages, allMessages: messages, categories: 0, rooms: 0, roles: 0 } }
    : undefined),
})

/** The per-kind defaults the kinds declare (steps/kinds/*.ts forecast): minutes, and messages per
 * second for the two that move messages. */
const DEFAULT_MINUTES: Readonly<Partial<Record<string, number>>> = {
  'stop-legacy': 2, backup: 15, inventory: 2, export: 5, 'target-services': 2, import: 5, filestore: 20, mappings: 5, 'lookup-account': 1, endpoint: 1, verify: 5,
}
const DEFAULT_MESSAGES_PER_SECOND = { export: 1_000, import: 400 } as const

describe('the cutover forecast', () => {
  it('adds up default minutes per cutover step when nothing is known', () => {
    const p = preview(plan(), NOTHING_KNOWN)
    const cutover = p.steps.filter((s) => s.phase === 'cutover')
    expect(cutover.every((s) => s.forecast?.basis === 'default')).toBe(true)
    expect(p.forecast.minutes).toBe(cutover.reduce((a, s) => a + (DEFAULT_MINUTES[s.kind] ?? 1), 0))
    expect(p.forecast.allowedMinutes).toBe(8 * 60)
    expect(p.forecast.fits).toBe(true)
  })

  it('scales export and import with the inventory\'s messages, and says when the window is too short', () => {
    const messages = 20_000_000
    const p = preview(plan(), withMessages(messages))
    const exp = p.steps.find((s) => s.id === 'cutover.export.gc2010')
    const imp = p.steps.find((s) => s.id === 'cutover.import.gc2010')
    expect(imp?.forecast).toEqual({ minutes: (DEFAULT_MINUTES.import ?? 0) + Math.ceil(messages / DEFAULT_MESSAGES_PER_SECOND.import / 60), basis: 'inventory' })
    expect(exp?.forecast).toEqual({ minutes: (DEFAULT_MINUTES.export ?? 0) + Math.ceil(messages / DEFAULT_MESSAGES_PER_SECOND.export / 60), basis: 'inventory' })
    expect(p.forecast.fits).toBe(false)
    expect(preview(plan((t) => t.replace('end: 2026-12-06T06:00', 'end: 2026-12-07T22:00')), withMessages(messages)).forecast.fits).toBe(true)
  })

  it('uses the duration a rehearsal recorded for a step instead of the default', () => {
    const p0 = plan()
    const step = compile(p0, platformOf(p0)).find((s) => s.id === 'cutover.import.gc2010')
    const records = { [step?.id ?? '']: { id: step?.id ?? '', status: 'done' as const, fingerprint: step?.fingerprint ?? '', attempts: 1, startedAt: '2026-11-01T00:00:00Z', endedAt: '2026-11-01T03:10:00Z' } }
    expect(preview(p0, NOTHING_KNOWN, records).steps.find((s) => s.id === 'cutover.import.gc2010')?.forecast).toEqual({ minutes: 190, basis: 'recorded' })
  })
})
