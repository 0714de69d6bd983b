import { describe, expect, it } from 'vitest'
import { manualClock } from '../../runner/core/clock.js'
import { stepId } from '../../runner/core/step.js'
import type { Step } from '../../runner/core/step.js'
import { MemoryStateStore } from '../../runner/state/memory-store.js'
import { downNotice, servicesDown } from '../../runner/steps/downtime.js'
import type { StepKind } from '../../runner/steps/define.js'
import { LAB_WINDOW, fakeKind, fakeStep, makeEngine } from '../helpers/engine-fakes.js'
import type { Timeline } from '../helpers/engine-fakes.js'

/** A kind whose steps are forecast at `minutes` each. */
function slowKind(name: string, t: Timeline, minutes: number, b: Parameters<typeof fakeKind>[2] = {}): StepKind {
  return { ...fakeKind(name, t, b), forecast: () => ({ minutes, basis: 'default' }) }
}

const at = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString()

function legacyStop(): Step {
  return { ...fakeStep('cutover.stop-legacy.gc2010', 'stop-legacy', 'cutover', { source: 'gc2010', servers: ['gc01'], services: ['GroupChatChannel', 'GroupChatLookup'] }), id: stepId('stop-legacy', 'cutover.stop-legacy.gc2010') }
}
function targetStop(): Step {
  return { ...fakeStep('cutover.stop-target', 'target-services', 'cutover', { action: 'stop', servers: ['pc01'], services: ['RTCCHAT'] }), id: stepId('target-services', 'cutover.stop-target') }
}

describe('the cutover starts only when its forecast fits the time left (end - margin)', () => {
  it('refuses to start a cutover whose forecast runs past end - margin, naming the figures; nothing runs', async () => {
    const t: Timeline = []
    const work = slowKind('work', t, 30)
    const steps = [fakeStep('prepare.a', 'work', 'prepare'), fakeStep('cutover.b', 'work'), fakeStep('cutover.c', 'work'), fakeStep('post.d', 'work', 'post')]
    const store = new MemoryStateStore()
    // 40 minutes before end - margin: two steps of 30 minutes do not fit.
    const r = await makeEngine({ steps, kinds: [work], store, clock: manualClock(at(LAB_WINDOW.lastStart, -40)) }).engine.apply()
    expect(r).toMatchObject({ outcome: 'refused', step: 'cutover.b' })
    expect(r.outcome === 'refused' ? r.error : '').toMatch(/^the cutover is forecast to take 60 min but only 40 min are left before end - margin \(2026-12-06T10:30:00\.000Z\).*Nothing of the cutover was started.*--ignore-window/)
    expect(t.filter((x) => x.startsWith('run '))).toEqual(['run prepare.a'])
    expect((await store.readJournal()).find((e) => e.event === 'window-refused')).toMatchObject({ step: 'cutover.b', detail: { window: 'forecast', forecastMinutes: 60, minutesLeft: 40 } })
  })

  it('starts when it fits, and --ignore-window starts it anyway (journaled)', async () => {
    const t: Timeline = []
    const work = slowKind('work', t, 30)
    const steps = [fakeStep('cutover.b', 'work'), fakeStep('cutover.c', 'work')]
    await expect(makeEngine({ steps, kinds: [work], store: new MemoryStateStore(), clock: manualClock(at(LAB_WINDOW.lastStart, -60)) }).engine.apply()).resolves.toEqual({ outcome: 'done' })
    const store = new MemoryStateStore()
    await expect(makeEngine({ steps, kinds: [work], store, clock: manualClock(at(LAB_WINDOW.lastStart, -10)) }).engine.apply({ ignoreWindow: true })).resolves.toEqual({ outcome: 'done' })
    expect((await store.readJournal()).some((e) => e.event === 'ignore-window')).toBe(true)
  })

  it('a stop inside the cutover names the services that are down and says resume with --ignore-window or rollback', async () => {
    const t: Timeline = []
    const work = slowKind('work', t, 1)
    const stops = slowKind('stop-legacy', t, 1)
    const target = slowKind('target-services', t, 1)
    const failing = slowKind('import', t, 1, { run: () => { throw new Error('Import-CsPersistentChatData failed') } })
    const steps = [legacyStop(), fakeStep('cutover.export', 'work'), targetStop(), fakeStep('cutover.import', 'import')]
    const store = new MemoryStateStore()
    const r = await makeEngine({ steps, kinds: [work, stops, target, failing], store, clock: manualClock(at(LAB_WINDOW.start, 10)) }).engine.apply()
    expect(r.outcome).toBe('failed')
    expect(r.outcome === 'failed' ? r.error : '').toBe('Import-CsPersistentChatData failed')
    const error = r.outcome === 'failed' ? r.down ?? '' : ''
    expect(error).toContain('chat is down: Group Chat (gc2010): GroupChatChannel, GroupChatLookup on gc01; Persistent Chat: RTCCHAT on pc01')
    expect(error).toContain('cutover apply <plan> --ignore-window')
    expect(error).toContain('cutover rollback <plan>')

    // Past end - margin on the resume: refused, and the refusal says the same.
    const late = await makeEngine({ steps, kinds: [work, stops, target, failing], store, clock: manualClock(at(LAB_WINDOW.lastStart, 5)) }).engine.apply()
    expect(late.outcome === 'refused' ? late.error : '').toMatch(/^less than the margin .* will not start/)
    expect(late.outcome === 'refused' ? late.down : '').toMatch(/^chat is down: Group Chat \(gc2010\)/)
  })

  it('servicesDown: nothing before the stop, legacy after it, the target until start-target is done', () => {
    const steps = [legacyStop(), targetStop(), { ...fakeStep('cutover.start-target', 'target-services', 'cutover', { action: 'start', servers: ['pc01'], services: ['RTCCHAT'] }), id: stepId('target-services', 'cutover.start-target') }]
    const done = (id: string) => ({ id, fingerprint: 'f', attempts: 1, status: 'done' as const, endedAt: LAB_WINDOW.start })
    expect(servicesDown(steps, {})).toEqual([])
    expect(downNotice(steps, {})).toBeUndefined()
    expect(servicesDown(steps, { 'cutover.stop-legacy.gc2010': done('cutover.stop-legacy.gc2010'), 'cutover.stop-target': done('cutover.stop-target') })).toHaveLength(2)
    expect(servicesDown(steps, { 'cutover.stop-legacy.gc2010': done('cutover.stop-legacy.gc2010'), 'cutover.stop-target': done('cutover.stop-target'), 'cutover.start-target': done('cutover.start-target') })).toEqual(['Group Chat (gc2010): GroupChatChannel, GroupChatLookup on gc01'])
  })
})
