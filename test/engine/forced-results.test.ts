/**
 * Forced results are labelled, and a done step can be re-run on purpose (issue 13, item 4).
 */
import { describe, expect, it } from 'vitest'
import { manualClock } from '../../runner/core/clock.js'
import { resolveStep } from '../../runner/engine/approve-and-resolve.js'
import { RefusedError } from '../../runner/engine/errors.js'
import { buildReport } from '../../runner/report/model.js'
import { reportHtml } from '../../runner/report/html.js'
import { reportMarkdown } from '../../runner/report/markdown.js'
import { markedDoneOf } from '../../runner/state/records.js'
import { MemoryStateStore } from '../../runner/state/memory-store.js'
import type { StepKind } from '../../runner/steps/define.js'
import type { Step } from '../../runner/core/step.js'
import { INSIDE, fakeKind, fakeStep, labPlan, makeEngine } from '../helpers/engine-fakes.js'
import type { Timeline } from '../helpers/engine-fakes.js'

function lookup(...kinds: StepKind[]) {
  return (name: string) => kinds.find((k) => k.kind === name)
}

function decision(store: MemoryStateStore, steps: readonly Step[], kinds: StepKind[]) {
  return { plan: { name: 'lab', hash: 'test-plan-hash' }, store, steps, kinds: lookup(...kinds), clock: manualClock(INSIDE), command: 'cutover resolve', who: 'alice' }
}

describe('resolve --done after a failure', () => {
  it('is shown in the record, the reports and the outcome as "marked done by X after a failure"', async () => {
    const t: Timeline = []
    const bad = fakeKind('bad', t, { run: () => { throw new Error('boom') } })
    const steps = [fakeStep('cutover.a', 'bad')]
    const store = new MemoryStateStore()
    await expect(makeEngine({ steps, kinds: [bad], store, clock: manualClock(INSIDE) }).engine.apply()).resolves.toMatchObject({ outcome: 'failed' })
    await resolveStep(decision(store, steps, [bad]), 'cutover.a', 'done', 'alice')
    const state = await store.load()
    const rec = state?.steps['cutover.a']
    expect(rec).toMatchObject({ status: 'done', resolvedBy: 'alice', resolvedFrom: 'failed' })
    expect(markedDoneOf(rec)).toBe('marked done by alice after a failure')

    const report = buildReport({ plan: labPlan(), steps, records: state?.steps ?? {}, journal: await store.readJournal(), verification: undefined, now: new Date(INSIDE), lab: true, downtime: { starts: [], end: 'none' }, cutoverVersion: '0.0.0-test', clock: 'set', inventories: new Map() })
    expect(report.steps[0]).toMatchObject({ status: 'done', markedDone: 'marked done by alice after a failure' })
    const md = reportMarkdown(report)
    expect(md).toContain('done: **marked done by alice after a failure**')
    expect(md).toMatch(/1 of 1 steps done; \*\*1 of them marked done by hand\*\*/)
    expect(reportHtml(report)).toContain('<strong class="marked-done">marked done by alice after a failure</strong>')
    // The journal entry behind it says so too, so a rebuilt state keeps the label.
    expect((await store.readJournal()).find((e) => e.event === 'resolve-done')?.detail?.record).toMatchObject({ resolvedFrom: 'failed' })
  })
})

describe('resolve --rerun', () => {
  it('runs a done step again on purpose, journaled', async () => {
    const t: Timeline = []
    const work = fakeKind('work', t)
    const steps = [fakeStep('cutover.export', 'work'), fakeStep('cutover.next', 'work')]
    const store = new MemoryStateStore()
    await makeEngine({ steps, kinds: [work], store, clock: manualClock(INSIDE) }).engine.apply()
    await resolveStep(decision(store, steps, [work]), 'cutover.export', 'rerun', 'alice')
    expect((await store.readJournal()).find((e) => e.event === 'resolve-rerun')).toMatchObject({ step: 'cutover.export', who: 'alice', detail: { by: 'alice' } })
    await expect(makeEngine({ steps, kinds: [work], store, clock: manualClock(INSIDE) }).engine.apply()).resolves.toEqual({ outcome: 'done' })
    expect(work.calls).toEqual({ 'cutover.export': 2, 'cutover.next': 1 })
    expect((await store.load())?.steps['cutover.export']).toMatchObject({ status: 'done', attempts: 2 })
  })

  it('is refused for irreversible and manual steps, for steps that cannot run twice, and for steps not done', async () => {
    const t: Timeline = []
    const gone = fakeKind('gone', t, { irreversible: true, idempotent: false })
    const once = fakeKind('once', t, { idempotent: false })
    const work = fakeKind('work', t)
    const steps = [fakeStep('decommission.1.gone', 'gone', 'post'), fakeStep('cutover.endpoint', 'once'), fakeStep('cutover.later', 'work')]
    const store = new MemoryStateStore()
    await makeEngine({ steps: steps.slice(0, 2), kinds: [gone, once, work], store, clock: manualClock(INSIDE) }).engine.apply()
    const setup = decision(store, steps, [gone, once, work])
    await expect(resolveStep(setup, 'decommission.1.gone', 'rerun')).rejects.toThrow(/irreversible step \(gone\); cutover will not run it again/)
    await expect(resolveStep(setup, 'cutover.endpoint', 'rerun')).rejects.toThrow(/cannot safely run twice/)
    await expect(resolveStep(setup, 'cutover.later', 'rerun')).rejects.toBeInstanceOf(RefusedError)
    expect((await store.readJournal()).some((e) => e.event === 'resolve-rerun')).toBe(false)
  })
})
