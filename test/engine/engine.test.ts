import { describe, expect, it } from 'vitest'
import type { ApplyResult, EngineEvent } from '../../runner/engine/events.js'
import { PlanChangedError, RefusedError } from '../../runner/engine/errors.js'
import { ApprovalNeededError } from '../../runner/core/errors.js'
import { Secrets } from '../../runner/plan/secrets.js'
import { approve, resolveStep } from '../../runner/engine/approve-and-resolve.js'
import { manualClock } from '../../runner/core/clock.js'
import type { Clock } from '../../runner/core/clock.js'
import { LockedError } from '../../runner/state/errors.js'
import { thisProcessHolder } from '../../runner/state/holder.js'
import { MemoryStateStore } from '../../runner/state/memory-store.js'
import type { JournalEntry, StepRecord } from '../../runner/state/types.js'
import type { StepKind } from '../../runner/steps/define.js'
import { INSIDE, LAB_WINDOW, RecordingStore, fakeKind, fakeStep, labPlan, makeEngine, seeded, stateWith } from '../helpers/engine-fakes.js'
import type { Timeline } from '../helpers/engine-fakes.js'
import { errorOf, outputsOf, timesOf } from '../../runner/state/records.js'

/** The message of a paused result, the error of a refused one (failing the test otherwise). */
function messageOf(r: ApplyResult): string {
  if (r.outcome === 'paused') return r.message
  if (r.outcome === 'refused' || r.outcome === 'failed') return r.error
  throw new Error(`no message in ${JSON.stringify(r)}`)
}
const lookup = (...kinds: StepKind[]) => (name: string) => kinds.find((k) => k.kind === name)
const brief = (e: EngineEvent): string => ('id' in e && e.id !== undefined ? `${e.type} ${e.id}` : e.type)
const events = (j: readonly JournalEntry[]): string[] => j.map((e) => (e.step === undefined ? e.event : `${e.event} ${e.step}`))

function recordOf(store: MemoryStateStore, id: string): Promise<StepRecord | undefined> {
  return store.load().then((s) => s?.steps[id])
}

describe('Engine.apply: order, checkpoints, events', () => {
  it('runs the steps in plan order, emits events and journals in that order, and a second apply runs nothing', async () => {
    const t: Timeline = []
    const kind = fakeKind('work', t, { run: (step) => ({ outputs: { ran: step.id } }) })
    const steps = [fakeStep('preflight.a', 'work', 'preflight'), fakeStep('prepare.b', 'work', 'prepare'), fakeStep('cutover.c', 'work'), fakeStep('post.d', 'work', 'post')]
    const store = new RecordingStore(t)
    const { engine, events: ev } = makeEngine({ steps, kinds: [kind], store, clock: manualClock(INSIDE) })

    await expect(engine.apply()).resolves.toEqual({ outcome: 'done' })
    expect(t.filter((x) => x.startsWith('run '))).toEqual(['run preflight.a', 'run prepare.b', 'run cutover.c', 'run post.d'])
    expect(ev.map(brief)).toEqual([
      'run-start',
      'step-start preflight.a', 'step-done preflight.a',
      'step-start prepare.b', 'step-done prepare.b',
      'step-start cutover.c', 'step-done cutover.c',
      'step-start post.d', 'step-done post.d',
      'run-end',
    ])
    expect(ev[0]).toMatchObject({ type: 'run-start', plan: 'lab', steps: 4, resumed: false })
    expect(ev.at(-1)).toEqual({ type: 'run-end', outcome: 'done' })
    const journal = await store.readJournal()
    expect(events(journal)).toEqual([
      'apply-start',
      'step-start preflight.a', 'step-done preflight.a',
      'step-start prepare.b', 'step-done prepare.b',
      'step-start cutover.c', 'step-done cutover.c',
      'step-start post.d', 'step-done post.d',
      'apply-end',
    ])
    expect(journal.every((e) => e.who === 'tester' && e.pid === process.pid)).toBe(true)
    const state = await store.load()
    expect(state?.plan).toEqual({ name: 'lab', hash: 'test-plan-hash' })
    for (const s of steps) {
      expect(state?.steps[s.id]).toMatchObject({ status: 'done', attempts: 1, fingerprint: s.fingerprint, outputs: { ran: s.id } })
    }

    // Again: every step is skipped, nothing runs, the journal gains no step-start.
    const again = makeEngine({ steps, kinds: [kind], store, clock: manualClock(INSIDE) })
    await expect(again.engine.apply()).resolves.toEqual({ outcome: 'done' })
    expect(kind.calls).toEqual({ 'preflight.a': 1, 'prepare.b': 1, 'cutover.c': 1, 'post.d': 1 })
    expect(again.events.map(brief)).toEqual(['run-start', ...steps.map((s) => `step-skip ${s.id}`), 'run-end'])
    expect(again.events[0]).toMatchObject({ resumed: true })
    expect(events((await store.readJournal()).slice(journal.length))).toEqual(['apply-start', 'apply-end'])
  })

  it('saves a step as running BEFORE it runs and as done AFTER it ends, each save awaited', async () => {
    const t: Timeline = []
    const store = new RecordingStore(t)
    const seenDuringRun: (string | undefined)[] = []
    const kind = fakeKind('work', t, {
      run: async (step) => {
        // What a crash right now would leave on disk.
        seenDuringRun.push((await store.load())?.steps[step.id]?.status)
        return { outputs: { n: 1 } }
      },
    })
    const steps = [fakeStep('cutover.a', 'work'), fakeStep('cutover.b', 'work')]
    const { engine } = makeEngine({ steps, kinds: [kind], store, clock: manualClock(INSIDE) })
    await engine.apply()

    for (const id of ['cutover.a', 'cutover.b']) {
      const at = (x: string) => t.indexOf(x)
      expect(at(`saved ${id}=running`)).toBeGreaterThanOrEqual(0)
      expect(at(`saved ${id}=running`)).toBeLessThan(at(`run ${id}`))
      expect(at(`ran ${id}`)).toBeLessThan(at(`saved ${id}=done`))
    }
    // b starts only once a is durably done.
    expect(t.indexOf('saved cutover.a=done')).toBeLessThan(t.indexOf('saved cutover.b=running'))
    expect(seenDuringRun).toEqual(['running', 'running'])
    const running = store.saves.find((s) => s.steps['cutover.a']?.status === 'running')?.steps['cutover.a']
    expect(running).toMatchObject({ attempts: 1, startedAt: INSIDE })
    expect(timesOf(running).endedAt).toBeUndefined()
    expect(outputsOf(running)).toBeUndefined()
  })

  it('stops at a failed step, and the next apply retries it with its attempts counted', async () => {
    const t: Timeline = []
    const flaky = fakeKind('flaky', t, {
      run: (_step, _ctx, call) => {
        if (call < 3) throw new Error(`boom ${call}`)
        return { outputs: { ok: true } }
      },
    })
    const work = fakeKind('work', t)
    const steps = [fakeStep('cutover.a', 'work'), fakeStep('cutover.b', 'flaky'), fakeStep('cutover.c', 'work')]
    const store = new MemoryStateStore()
    const run = () => makeEngine({ steps, kinds: [work, flaky], store, clock: manualClock(INSIDE) })

    const first = run()
    await expect(first.engine.apply()).resolves.toEqual({ outcome: 'failed', step: 'cutover.b', error: 'boom 1', cause: expect.any(Error) })
    expect(await recordOf(store, 'cutover.b')).toMatchObject({ status: 'failed', attempts: 1, error: 'boom 1' })
    expect(await recordOf(store, 'cutover.c')).toBeUndefined()
    expect(first.events.map(brief)).toContain('step-failed cutover.b')
    expect(first.events.at(-1)).toEqual({ type: 'run-end', outcome: 'failed' })

    await expect(run().engine.apply()).resolves.toMatchObject({ outcome: 'failed', error: 'boom 2' })
    expect(await recordOf(store, 'cutover.b')).toMatchObject({ status: 'failed', attempts: 2 })

    const third = run()
    await expect(third.engine.apply()).resolves.toEqual({ outcome: 'done' })
    expect(third.events.find((e) => e.type === 'step-start' && e.id === 'cutover.b')).toMatchObject({ attempt: 3 })
    const b = await recordOf(store, 'cutover.b')
    expect(b).toMatchObject({ status: 'done', attempts: 3, outputs: { ok: true } })
    expect(errorOf(b)).toBeUndefined()
    expect(work.calls).toEqual({ 'cutover.a': 1, 'cutover.c': 1 })
    const journal = await store.readJournal()
    expect(journal.filter((e) => e.event === 'step-start' && e.step === 'cutover.b').map((e) => e.detail?.attempt)).toEqual([1, 2, 3])
    expect(journal.filter((e) => e.event === 'step-failed').map((e) => e.detail?.error)).toEqual(['boom 1', 'boom 2'])
  })

  it('stops after --until, and the next apply continues from there', async () => {
    const t: Timeline = []
    const kind = fakeKind('work', t)
    const steps = [fakeStep('cutover.a', 'work'), fakeStep('cutover.b', 'work'), fakeStep('cutover.c', 'work')]
    const store = new MemoryStateStore()
    const first = makeEngine({ steps, kinds: [kind], store, clock: manualClock(INSIDE) })
    await expect(first.engine.apply({ until: 'cutover.b' })).resolves.toMatchObject({ outcome: 'paused', reason: 'until', step: 'cutover.b' })
    expect(kind.calls).toEqual({ 'cutover.a': 1, 'cutover.b': 1 })
    await expect(makeEngine({ steps, kinds: [kind], store, clock: manualClock(INSIDE) }).engine.apply()).resolves.toEqual({ outcome: 'done' })
    expect(kind.calls).toEqual({ 'cutover.a': 1, 'cutover.b': 1, 'cutover.c': 1 })
  })
})

describe('Engine.apply: a step found running (the process died mid-step)', () => {
  const running = (id: string, fp: string): StepRecord => ({ id, status: 'running', fingerprint: fp, attempts: 1, startedAt: LAB_WINDOW.start })

  it('is settled done by its check when its postcondition holds, without running it again', async () => {
    const t: Timeline = []
    const kind = fakeKind('checked', t, { idempotent: false, check: () => true })
    const step = fakeStep('cutover.a', 'checked')
    const store = new MemoryStateStore(seeded(stateWith({ [step.id]: running(step.id, step.fingerprint) })))
    const { engine, events: ev } = makeEngine({ steps: [step], kinds: [kind], store, clock: manualClock(INSIDE) })
    await expect(engine.apply()).resolves.toEqual({ outcome: 'done' })
    expect(t).toEqual(['check cutover.a'])
    expect(await recordOf(store, step.id)).toMatchObject({ status: 'done', attempts: 1, endedAt: INSIDE })
    expect(ev.find((e) => e.type === 'step-skip')).toMatchObject({ id: 'cutover.a', reason: 'interrupted earlier, found complete' })
    expect((await store.readJournal()).find((e) => e.event === 'step-settled')).toMatchObject({ step: 'cutover.a', outcome: 'done' })
  })

  it('is run again (attempt 2) when it is idempotent and its check says not done', async () => {
    const t: Timeline = []
    const kind = fakeKind('redo', t, { idempotent: true, check: () => false })
    const step = fakeStep('cutover.a', 'redo')
    const store = new MemoryStateStore(seeded(stateWith({ [step.id]: running(step.id, step.fingerprint) })))
    const { engine } = makeEngine({ steps: [step], kinds: [kind], store, clock: manualClock(INSIDE) })
    await expect(engine.apply()).resolves.toEqual({ outcome: 'done' })
    expect(t).toEqual(['check cutover.a', 'run cutover.a', 'ran cutover.a'])
    expect(await recordOf(store, step.id)).toMatchObject({ status: 'done', attempts: 2 })
  })

  it('is run again when it is idempotent and has no check', async () => {
    const t: Timeline = []
    const kind = fakeKind('redo', t, { idempotent: true })
    const step = fakeStep('cutover.a', 'redo')
    const store = new MemoryStateStore(seeded(stateWith({ [step.id]: running(step.id, step.fingerprint) })))
    await expect(makeEngine({ steps: [step], kinds: [kind], store, clock: manualClock(INSIDE) }).engine.apply()).resolves.toEqual({ outcome: 'done' })
    expect(kind.calls).toEqual({ 'cutover.a': 1 })
    expect(await recordOf(store, step.id)).toMatchObject({ status: 'done', attempts: 2 })
  })

  it('runs again a step that is not idempotent when its check says it is not done', async () => {
    const t: Timeline = []
    const kind = fakeKind('once', t, { idempotent: false, check: () => false })
    const steps = [fakeStep('cutover.a', 'once')]
    const store = new MemoryStateStore(seeded(stateWith({ 'cutover.a': running('cutover.a', steps[0]?.fingerprint ?? '') })))
    await expect(makeEngine({ steps, kinds: [kind], store, clock: manualClock(INSIDE) }).engine.apply()).resolves.toEqual({ outcome: 'done' })
    expect(kind.calls).toEqual({ 'cutover.a': 1 })
    expect(await recordOf(store, 'cutover.a')).toMatchObject({ status: 'done', attempts: 2 })
  })

  it.each([
    ['has no check', undefined],
  ])('pauses for `cutover resolve` when it is not idempotent and %s; resolve --retry then lets it run', async (_label, check) => {
    const t: Timeline = []
    const kind = fakeKind('once', t, { idempotent: false, ...(check === undefined ? {} : { check }) })
    const after = fakeKind('work', t)
    const steps = [fakeStep('cutover.a', 'once'), fakeStep('cutover.b', 'work')]
    const store = new MemoryStateStore(seeded(stateWith({ 'cutover.a': running('cutover.a', steps[0]?.fingerprint ?? '') })))
    const first = makeEngine({ steps, kinds: [kind, after], store, clock: manualClock(INSIDE) })
    const result = await first.engine.apply()
    expect(result).toMatchObject({ outcome: 'paused', reason: 'needs-resolve', step: 'cutover.a' })
    expect(messageOf(result)).toContain('cutover resolve <plan> cutover.a --done')
    expect(t.filter((x) => !x.startsWith('check'))).toEqual([])
    expect(await recordOf(store, 'cutover.a')).toMatchObject({ status: 'running', attempts: 1 })
    expect(first.events.find((e) => e.type === 'paused')).toMatchObject({ id: 'cutover.a', reason: 'needs-resolve' })
    expect(events(await store.readJournal())).toEqual(['journal-restored cutover.a', 'apply-start', 'needs-resolve cutover.a', 'apply-end cutover.a'])

    // Paused again, without running it, until someone settles it.
    await expect(makeEngine({ steps, kinds: [kind, after], store, clock: manualClock(INSIDE) }).engine.apply()).resolves.toMatchObject({ reason: 'needs-resolve' })
    expect(kind.calls).toEqual({})

    await resolveStep({ plan: { name: 'test', hash: 'h' }, store, steps, kinds: lookup(kind, after), clock: manualClock(INSIDE), command: 'cutover resolve', who: 'bob' }, 'cutover.a', 'retry')
    await expect(makeEngine({ steps, kinds: [kind, after], store, clock: manualClock(INSIDE) }).engine.apply()).resolves.toEqual({ outcome: 'done' })
    expect(kind.calls).toEqual({ 'cutover.a': 1 })
    expect(await recordOf(store, 'cutover.a')).toMatchObject({ status: 'done', attempts: 2 })
    expect((await store.readJournal()).find((e) => e.event === 'resolve-retry')).toMatchObject({ who: 'bob', step: 'cutover.a' })
  })

  it('resolve --done marks it done and apply goes on after it', async () => {
    const t: Timeline = []
    const kind = fakeKind('once', t, { idempotent: false })
    const steps = [fakeStep('cutover.a', 'once'), fakeStep('cutover.b', 'once')]
    const store = new MemoryStateStore(seeded(stateWith({ 'cutover.a': running('cutover.a', steps[0]?.fingerprint ?? '') })))
    await resolveStep({ plan: { name: 'test', hash: 'h' }, store, steps, kinds: lookup(kind), clock: manualClock(INSIDE), command: 'cutover resolve' }, 'cutover.a', 'done')
    await expect(makeEngine({ steps, kinds: [kind], store, clock: manualClock(INSIDE) }).engine.apply()).resolves.toEqual({ outcome: 'done' })
    expect(kind.calls).toEqual({ 'cutover.b': 1 })
    // Only an interrupted or failed step can be resolved.
    await expect(resolveStep({ plan: { name: 'test', hash: 'h' }, store, steps, kinds: lookup(kind), clock: manualClock(INSIDE), command: 'cutover resolve' }, 'cutover.b', 'retry')).rejects.toThrow(RefusedError)
  })
})

describe('Engine.apply: recover before re-running a step with a previous attempt', () => {
  it.each([
    ['failed', true],
    ['running', false],
  ] as const)('a %s step with recover (idempotent %s) is recovered first, then run', async (status, idempotent) => {
    const t: Timeline = []
    const kind = fakeKind('import', t, { idempotent, recover: true })
    const step = fakeStep('cutover.import', 'import')
    const rec: StepRecord = status === 'failed'
      ? { id: step.id, status, fingerprint: step.fingerprint, attempts: 1, startedAt: LAB_WINDOW.start, error: 'x', endedAt: LAB_WINDOW.start }
      : { id: step.id, status, fingerprint: step.fingerprint, attempts: 1, startedAt: LAB_WINDOW.start }
    const store = new RecordingStore(t, seeded(stateWith({ [step.id]: rec })))
    const { engine, events: ev } = makeEngine({ steps: [step], kinds: [kind], store, clock: manualClock(INSIDE) })
    await expect(engine.apply()).resolves.toEqual({ outcome: 'done' })
    // recover comes before the new attempt is even marked running.
    expect(t.filter((x) => !x.startsWith('saved') || x.startsWith('saved cutover.import'))).toEqual([
      'recover cutover.import', 'saved cutover.import=running', 'run cutover.import', 'ran cutover.import', 'saved cutover.import=done',
    ])
    expect(ev.map(brief)).toEqual(['run-start', 'step-recover cutover.import', 'step-start cutover.import', 'step-done cutover.import', 'run-end'])
    expect(events(await store.readJournal())).toEqual(['journal-restored cutover.import', 'apply-start', 'step-recover cutover.import', 'step-start cutover.import', 'step-done cutover.import', 'apply-end'])
    expect(await recordOf(store, step.id)).toMatchObject({ status: 'done', attempts: 2 })
  })

  it('does not recover a step on its first attempt', async () => {
    const t: Timeline = []
    const kind = fakeKind('import', t, { idempotent: false, recover: true })
    const step = fakeStep('cutover.import', 'import')
    const store = new MemoryStateStore()
    await makeEngine({ steps: [step], kinds: [kind], store, clock: manualClock(INSIDE) }).engine.apply()
    expect(t).toEqual(['run cutover.import', 'ran cutover.import'])
  })
})

describe('Engine.apply: secrets', () => {
  it('redacts every secret resolved by Secrets from errors, logs and warnings, in events, journal and state', async () => {
    const secret = 'Pa55w0rd-xyz'
    const secrets = new Secrets({ LAB_SECRET: secret })
    const conn = secrets.resolve('Server=sql01;Password=${env:LAB_SECRET}')
    expect(conn).toContain(secret)
    const t: Timeline = []
    const warn = fakeKind('warn', t, {
      run: (_step, ctx) => {
        ctx.log(`connecting with ${conn}`)
        return { warnings: [`careful: ${conn}`] }
      },
    })
    const fail = fakeKind('fail', t, { run: () => { throw new Error(`login failed for ${conn}`) } })
    const steps = [fakeStep('cutover.a', 'warn'), fakeStep('cutover.b', 'fail')]
    const store = new MemoryStateStore()
    const { engine, events: ev } = makeEngine({ steps, kinds: [warn, fail], store, clock: manualClock(INSIDE), secrets })
    const result = await engine.apply()
    expect(result).toEqual({ outcome: 'failed', step: 'cutover.b', error: 'login failed for Server=sql01;Password=***', cause: expect.any(Error) })
    const everything = JSON.stringify({ ev, journal: await store.readJournal(), state: await store.load() })
    expect(everything).not.toContain(secret)
    expect(ev).toContainEqual({ type: 'step-log', id: 'cutover.a', line: 'connecting with Server=sql01;Password=***' })
    expect(ev).toContainEqual({ type: 'step-warning', id: 'cutover.a', message: 'careful: Server=sql01;Password=***' })
    expect(await recordOf(store, 'cutover.a')).toMatchObject({ outputs: { warnings: ['careful: Server=sql01;Password=***'] } })
    expect(await recordOf(store, 'cutover.b')).toMatchObject({ error: 'login failed for Server=sql01;Password=***' })
  })
})

describe('Engine.apply: the plan changed under steps that ran', () => {
  it('refuses before doing anything, naming the done steps whose input changed; --accept-changes records the decision', async () => {
    const t: Timeline = []
    const kind = fakeKind('work', t)
    const before = [fakeStep('cutover.a', 'work', 'cutover', { v: 1 }), fakeStep('cutover.b', 'work', 'cutover', { v: 1 }), fakeStep('cutover.c', 'work', 'cutover', { v: 1 })]
    const store = new RecordingStore(t)
    await makeEngine({ steps: before, kinds: [kind], store, clock: manualClock(INSIDE) }).engine.apply({ until: 'cutover.b' })
    const saved = store.saves.length
    const journal = await store.readJournal()
    const state = JSON.stringify(await store.load())

    // a (done) and c (not run yet) change.
    const after = [fakeStep('cutover.a', 'work', 'cutover', { v: 2 }), before[1], fakeStep('cutover.c', 'work', 'cutover', { v: 2 })].filter((s) => s !== undefined)
    const refused = makeEngine({ steps: after, kinds: [kind], store, clock: manualClock(INSIDE) })
    const error = await refused.engine.apply().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PlanChangedError)
    expect((error as PlanChangedError).steps).toEqual(['cutover.a'])
    expect((error as Error).message).toContain('cutover.a')
    expect(store.saves.length).toBe(saved)
    expect(JSON.stringify(await store.load())).toBe(state)
    expect(await store.readJournal()).toEqual(journal)
    expect(refused.events).toEqual([])
    expect(await store.inspectLock()).toBeUndefined()

    const accepted = makeEngine({ steps: after, kinds: [kind], store, clock: manualClock(INSIDE) })
    await expect(accepted.engine.apply({ acceptChanges: true })).resolves.toEqual({ outcome: 'done' })
    const entry = (await store.readJournal()).find((e) => e.event === 'accept-changes')
    expect(entry).toMatchObject({ who: 'tester', detail: { steps: ['cutover.a'] } })
    expect(kind.calls).toEqual({ 'cutover.a': 1, 'cutover.b': 1, 'cutover.c': 1 })
    expect(await recordOf(store, 'cutover.a')).toMatchObject({ status: 'done', fingerprint: after[0]?.fingerprint })
  })
})

describe('Engine.apply: the downtime window', () => {
  const kinds = (t: Timeline) => [fakeKind('work', t)]
  const steps = [fakeStep('preflight.a', 'work', 'preflight'), fakeStep('prepare.b', 'work', 'prepare'), fakeStep('cutover.c', 'work'), fakeStep('cutover.d', 'work'), fakeStep('post.e', 'work', 'post')]

  it('before the window: runs preflight and prepare, then pauses at the first cutover step with the opening time', async () => {
    const t: Timeline = []
    const store = new MemoryStateStore()
    const { engine, events: ev } = makeEngine({ steps, kinds: kinds(t), store, clock: manualClock('2026-12-06T01:00:00Z') })
    const r = await engine.apply()
    expect(r).toMatchObject({ outcome: 'paused', reason: 'window-not-open', step: 'cutover.c' })
    expect(messageOf(r)).toContain(`opens at ${LAB_WINDOW.start}`)
    expect(messageOf(r)).toContain('in 120 min')
    expect(t.filter((x) => x.startsWith('run '))).toEqual(['run preflight.a', 'run prepare.b'])
    expect(ev.find((e) => e.type === 'paused')).toMatchObject({ reason: 'window-not-open', id: 'cutover.c' })
    expect(await recordOf(store, 'cutover.c')).toBeUndefined()
  })

  it('runs cutover steps at the opening instant', async () => {
    const t: Timeline = []
    const { engine } = makeEngine({ steps, kinds: kinds(t), store: new MemoryStateStore(), clock: manualClock(LAB_WINDOW.start) })
    await expect(engine.apply()).resolves.toEqual({ outcome: 'done' })
  })

  it('a cutover under way still starts its next step at the last start (end - margin); a new one whose forecast does not fit is refused (test/engine/cutover-fits.test.ts)', async () => {
    const t: Timeline = []
    const store = new MemoryStateStore()
    await makeEngine({ steps, kinds: kinds(t), store, clock: manualClock(LAB_WINDOW.start) }).engine.apply({ until: 'cutover.c' })
    await expect(makeEngine({ steps, kinds: kinds(t), store, clock: manualClock(LAB_WINDOW.lastStart) }).engine.apply()).resolves.toEqual({ outcome: 'done' })
    await expect(makeEngine({ steps, kinds: kinds(t), store: new MemoryStateStore(), clock: manualClock(LAB_WINDOW.lastStart) }).engine.apply()).resolves.toMatchObject({ outcome: 'refused', step: 'cutover.c' })
  })

  it.each([
    ['within the margin', '2026-12-06T10:30:00.001Z', /less than the margin \(30m\)/],
    ['after the window', LAB_WINDOW.end, /the downtime window ended at 2026-12-06T11:00:00.000Z/],
  ])('refuses %s: nothing of the cutover runs', async (_label, at, message) => {
    const t: Timeline = []
    const store = new MemoryStateStore()
    const result = await makeEngine({ steps, kinds: kinds(t), store, clock: manualClock(at) }).engine.apply()
    expect(result).toMatchObject({ outcome: 'refused', step: 'cutover.c' })
    expect(messageOf(result)).toMatch(message)
    // The refusal is journaled, and the run ends like any other.
    const events = (await store.readJournal()).map((e) => e.event)
    expect(events).toContain('window-refused')
    expect(events.at(-1)).toBe('apply-end')
    expect(t.filter((x) => x.startsWith('run '))).toEqual(['run preflight.a', 'run prepare.b'])
    expect(await recordOf(store, 'cutover.c')).toBeUndefined()
    expect(await store.inspectLock()).toBeUndefined()
  })

  it('--ignore-window runs outside it and journals that once', async () => {
    const t: Timeline = []
    const store = new MemoryStateStore()
    const { engine } = makeEngine({ steps, kinds: kinds(t), store, clock: manualClock('2026-12-07T00:00:00Z') })
    await expect(engine.apply({ ignoreWindow: true })).resolves.toEqual({ outcome: 'done' })
    const ignored = (await store.readJournal()).filter((e) => e.event === 'ignore-window')
    expect(ignored).toEqual([expect.objectContaining({ step: 'cutover.c', who: 'tester', detail: { window: 'after' } })])
    const start = await store.readJournal().then((j) => j.find((e) => e.event === 'apply-start'))
    expect(start?.detail).toMatchObject({ ignoreWindow: true })
  })

  it('does not journal ignore-window when the window is open', async () => {
    const store = new MemoryStateStore()
    await makeEngine({ steps, kinds: kinds([]), store, clock: manualClock(INSIDE) }).engine.apply({ ignoreWindow: true })
    expect((await store.readJournal()).some((e) => e.event === 'ignore-window')).toBe(false)
  })

  it('--wait waits for the window to open, then runs', async () => {
    const t: Timeline = []
    // A clock running at real speed, 150 ms before the opening.
    const offset = Date.parse(LAB_WINDOW.start) - 150 - Date.now()
    const clock: Clock = { now: () => new Date(Date.now() + offset) }
    const { engine, events: ev } = makeEngine({ steps, kinds: kinds(t), store: new MemoryStateStore(), clock })
    await expect(engine.apply({ wait: true, waitPollMs: 20 })).resolves.toEqual({ outcome: 'done' })
    const waiting = ev.findIndex((e) => e.type === 'step-log' && e.line.includes('waiting'))
    expect(waiting).toBeGreaterThan(0)
    expect(waiting).toBeLessThan(ev.findIndex((e) => e.type === 'step-start' && e.id === 'cutover.c'))
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(Date.parse(LAB_WINDOW.start))
  })
})

describe('Engine.apply: manual steps and approvals', () => {
  it('pauses at a manual step with its instructions until approved; approval is journaled and shown', async () => {
    const t: Timeline = []
    const work = fakeKind('work', t)
    const manual = fakeKind('manual-fake', t, { manual: true })
    const steps = [fakeStep('post.a', 'work', 'post'), fakeStep('decommission.1.manual', 'manual-fake', 'post', { instructions: 'Publish the topology in Topology Builder' }), fakeStep('post.z', 'work', 'post')]
    const store = new MemoryStateStore()
    const run = () => makeEngine({ steps, kinds: [work, manual], store, clock: manualClock(INSIDE) })

    const first = await run().engine.apply()
    expect(first).toMatchObject({ outcome: 'paused', reason: 'approval', step: 'decommission.1.manual' })
    expect(messageOf(first)).toContain('Publish the topology in Topology Builder')
    expect(messageOf(first)).toContain('cutover approve <plan> decommission.1.manual')
    expect(await recordOf(store, 'decommission.1.manual')).toMatchObject({ status: 'awaiting-approval' })
    await expect(run().engine.apply()).resolves.toMatchObject({ reason: 'approval' })
    expect(manual.calls).toEqual({})
    expect(work.calls).toEqual({ 'post.a': 1 })
    expect((await store.readJournal()).filter((e) => e.event === 'awaiting-approval')).toHaveLength(1)

    const setup = { plan: { name: 'test', hash: 'h' }, store, steps, kinds: lookup(work, manual), clock: manualClock(INSIDE), command: 'cutover approve', who: 'root' }
    await expect(approve(setup, 'post.a', 'alice')).rejects.toThrow(/not a manual step and awaits no approval/)
    const rec = await approve(setup, 'decommission.1.manual', 'alice')
    expect(rec).toMatchObject({ status: 'done', approvedBy: 'alice', approvedAt: INSIDE })
    const last = run()
    await expect(last.engine.apply()).resolves.toEqual({ outcome: 'done' })
    expect(last.events.find((e) => e.type === 'step-skip' && e.id === 'decommission.1.manual')).toMatchObject({ reason: 'approved by alice' })
    expect(manual.calls).toEqual({})
    expect((await store.readJournal()).find((e) => e.event === 'approve')).toMatchObject({ step: 'decommission.1.manual', who: 'root', detail: { by: 'alice' } })
    await expect(approve(setup, 'decommission.1.manual', 'bob')).rejects.toThrow(/already done \(approved by alice\)/)
  })
})

describe('Engine.apply: a step that asks for an approval (Import -WhatIf warnings)', () => {
  it('pauses on the step awaiting approval, runs it again while unapproved, and goes past it once approved', async () => {
    const t: Timeline = []
    const findings = fakeKind('whatif-fake', t, { idempotent: true, run: () => { throw new ApprovalNeededError("Import -WhatIf of gc2010 reported 1 warning(s): Room 'Ops': invitations turned off") } })
    const work = fakeKind('work', t)
    const steps = [fakeStep('cutover.import-whatif.gc2010', 'whatif-fake'), fakeStep('cutover.import.gc2010', 'work')]
    const store = new MemoryStateStore()
    const run = () => makeEngine({ steps, kinds: [findings, work], store, clock: manualClock(INSIDE) })

    const first = await run().engine.apply()
    expect(first).toMatchObject({ outcome: 'paused', reason: 'approval', step: 'cutover.import-whatif.gc2010' })
    expect(messageOf(first)).toContain("Room 'Ops': invitations turned off")
    expect(messageOf(first)).toContain('cutover approve <plan> cutover.import-whatif.gc2010')
    expect(await recordOf(store, 'cutover.import-whatif.gc2010')).toMatchObject({ status: 'awaiting-approval' })
    await expect(run().engine.apply()).resolves.toMatchObject({ outcome: 'paused', reason: 'approval' })
    expect(findings.calls).toEqual({ 'cutover.import-whatif.gc2010': 2 }) // unapproved: found again
    expect(work.calls).toEqual({})

    const setup = { plan: { name: 'test', hash: 'h' }, store, steps, kinds: lookup(findings, work), clock: manualClock(INSIDE), command: 'cutover approve', who: 'root' }
    await expect(approve(setup, 'cutover.import.gc2010', 'alice')).rejects.toThrow(/not a manual step and awaits no approval/)
    expect(await approve(setup, 'cutover.import-whatif.gc2010', 'alice')).toMatchObject({ status: 'done', approvedBy: 'alice' })
    await expect(run().engine.apply()).resolves.toEqual({ outcome: 'done' })
    expect(findings.calls).toEqual({ 'cutover.import-whatif.gc2010': 2 })
    expect(work.calls).toEqual({ 'cutover.import.gc2010': 1 })
  })
})

describe('Engine: the lock', () => {
  it('refuses a second apply while one runs, and takes over a lock its dead holder left', async () => {
    const t: Timeline = []
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    let started!: () => void
    const isRunning = new Promise<void>((r) => (started = r))
    const slow = fakeKind('slow', t, { run: async () => { started(); await gate; return {} } })
    const steps = [fakeStep('cutover.a', 'slow')]
    const store = new MemoryStateStore()
    const first = makeEngine({ steps, kinds: [slow], store, clock: manualClock(INSIDE) }).engine.apply()
    await isRunning
    await expect(makeEngine({ steps, kinds: [slow], store, clock: manualClock(INSIDE) }).engine.apply()).rejects.toBeInstanceOf(LockedError)
    await expect(makeEngine({ steps, kinds: [slow], store, clock: manualClock(INSIDE) }).engine.rollback()).rejects.toBeInstanceOf(LockedError)
    release()
    await expect(first).resolves.toEqual({ outcome: 'done' })
    expect(await store.inspectLock()).toBeUndefined()

    await store.acquireLock(thisProcessHolder('cutover apply dead.yaml'))
    store.abandonLock()
    await expect(makeEngine({ steps, kinds: [slow], store, clock: manualClock(INSIDE) }).engine.apply()).resolves.toEqual({ outcome: 'done' })
    expect((await store.readJournal()).find((e) => e.event === 'lock-taken-over')).toMatchObject({ detail: { stalePid: process.pid } })
  })
})

describe('Engine.rollback', () => {
  function world() {
    const t: Timeline = []
    const undoable = fakeKind('undoable', t, { run: (step) => ({ outputs: { made: step.id } }), undo: true })
    const plain = fakeKind('plain', t)
    const gone = fakeKind('uninstall', t, { irreversible: true })
    const steps = [
      fakeStep('preflight.a', 'undoable', 'preflight'),
      fakeStep('cutover.b', 'undoable'),
      fakeStep('cutover.c', 'plain'),
      fakeStep('cutover.d', 'undoable'),
      fakeStep('cutover.e', 'undoable'),
      fakeStep('post.f', 'plain', 'post'),
      fakeStep('decommission.1.g', 'uninstall', 'post'),
    ]
    return { t, kinds: [undoable, plain, gone], steps }
  }

  it('undoes the finished cutover steps newest first, with their outputs, and makes every cutover step pending', async () => {
    const { t, kinds, steps } = world()
    const store = new MemoryStateStore()
    await makeEngine({ steps, kinds, store, clock: manualClock(INSIDE) }).engine.apply({ until: 'cutover.e' })
    t.length = 0
    const { engine } = makeEngine({ steps, kinds, store, clock: manualClock(INSIDE) })
    // Pending again: the undone steps and the one that had nothing to undo (its summary counts all four).
    await expect(engine.rollback()).resolves.toEqual({ outcome: 'done', undone: ['cutover.e', 'cutover.d', 'cutover.b'], reset: ['cutover.e', 'cutover.d', 'cutover.b', 'cutover.c'] })
    expect(t).toEqual(['undo cutover.e {"made":"cutover.e"}', 'undo cutover.d {"made":"cutover.d"}', 'undo cutover.b {"made":"cutover.b"}'])
    const state = await store.load()
    for (const id of ['cutover.b', 'cutover.c', 'cutover.d', 'cutover.e']) expect(state?.steps[id]).toMatchObject({ status: 'pending', attempts: 0 })
    expect(state?.steps['preflight.a']).toMatchObject({ status: 'done' })
    const journal = await store.readJournal()
    expect(events(journal.slice(journal.findIndex((e) => e.event === 'rollback-start')))).toEqual([
      'rollback-start', 'step-undone cutover.e', 'step-undone cutover.d', 'step-undone cutover.b', 'step-reset cutover.c', 'rollback-end',
    ])
  })

  it('refuses once a decommission step is done, and when the plan never ran', async () => {
    const { t, kinds, steps } = world()
    await expect(makeEngine({ steps, kinds, store: new MemoryStateStore(), clock: manualClock(INSIDE) }).engine.rollback()).rejects.toThrow(/never run/)
    const store = new MemoryStateStore()
    await makeEngine({ steps, kinds, store, clock: manualClock(INSIDE) }).engine.apply()
    const before = JSON.stringify(await store.load())
    t.length = 0
    await expect(makeEngine({ steps, kinds, store, clock: manualClock(INSIDE) }).engine.rollback()).rejects.toThrow(/decommissioning has begun \(decommission\.1\.g\)/)
    expect(t).toEqual([])
    expect(JSON.stringify(await store.load())).toBe(before)
  })
})

describe('Engine.apply with a plan from labPlan()', () => {
  it('knows the lab window (sanity check of the fixture the window tests rely on)', () => {
    expect(labPlan().downtime).toEqual({ start: '2026-12-05T22:00', end: '2026-12-06T06:00', timezone: 'America/New_York', margin: '30m' })
  })
})

describe('Engine: guards read the recorded state, not the plan file', () => {
  function world(t: Timeline) {
    const work = fakeKind('work', t, { undo: true })
    const gone = fakeKind('uninstall', t, { irreversible: true })
    const steps = [fakeStep('cutover.a', 'work'), fakeStep('post.b', 'work', 'post'), fakeStep('decommission.1.uninstall', 'uninstall', 'post')]
    return { kinds: [work, gone], steps }
  }

  it('rollback after decommissioning is refused even when the plan no longer lists the decommission step', async () => {
    const t: Timeline = []
    const { kinds, steps } = world(t)
    const store = new MemoryStateStore()
    await makeEngine({ steps, kinds, store, clock: manualClock(INSIDE) }).engine.apply()
    const withoutDecommission = steps.filter((s) => s.kind !== 'uninstall')
    t.length = 0
    const before = JSON.stringify(await store.load())
    await expect(makeEngine({ steps: withoutDecommission, kinds, store, clock: manualClock(INSIDE) }).engine.rollback()).rejects.toThrow(/decommissioning has begun \(decommission\.1\.uninstall\)/)
    expect(t).toEqual([])
    expect(JSON.stringify(await store.load())).toBe(before)
  })

  it('apply refuses records of steps the plan no longer has; --accept-changes retires them (journaled) and rollback still counts them', async () => {
    const t: Timeline = []
    const { kinds, steps } = world(t)
    const store = new MemoryStateStore()
    await makeEngine({ steps, kinds, store, clock: manualClock(INSIDE) }).engine.apply()
    const fewer = steps.filter((s) => s.kind !== 'uninstall')
    t.length = 0
    const refused = await makeEngine({ steps: fewer, kinds, store, clock: manualClock(INSIDE) }).engine.apply().catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(PlanChangedError)
    expect((refused as Error).message).toMatch(/no longer has: decommission\.1\.uninstall \(done\).*--accept-changes/)
    expect(t).toEqual([])

    await expect(makeEngine({ steps: fewer, kinds, store, clock: manualClock(INSIDE) }).engine.apply({ acceptChanges: true })).resolves.toEqual({ outcome: 'done' })
    const state = await store.load()
    expect(state?.steps['decommission.1.uninstall']).toBeUndefined()
    expect(state?.retired?.['decommission.1.uninstall']).toMatchObject({ status: 'done', kind: 'uninstall' })
    expect((await store.readJournal()).find((e) => e.event === 'retire-steps')).toMatchObject({ detail: { steps: ['decommission.1.uninstall'] } })
    // Accepted once: the next apply has nothing to refuse.
    await expect(makeEngine({ steps: fewer, kinds, store, clock: manualClock(INSIDE) }).engine.apply()).resolves.toEqual({ outcome: 'done' })
    await expect(makeEngine({ steps: fewer, kinds, store, clock: manualClock(INSIDE) }).engine.rollback()).rejects.toThrow(/decommissioning has begun/)
  })

  it('a record whose kind cannot be told counts as irreversible: rollback does not guess', async () => {
    const t: Timeline = []
    const { kinds, steps } = world(t)
    const old = stateWith({ 'decommission.9.custom': { id: 'decommission.9.custom', status: 'done', fingerprint: 'f', attempts: 1, endedAt: INSIDE } })
    const store = new MemoryStateStore({ state: old })
    await expect(makeEngine({ steps, kinds, store, clock: manualClock(INSIDE) }).engine.rollback()).rejects.toThrow(/decommission\.9\.custom/)
  })
})

describe('Engine: interruption (Ctrl-C)', () => {
  it('an abort while a step runs leaves it running (as a crash would), journals interrupted, releases the lock, runs nothing after', async () => {
    const t: Timeline = []
    const controller = new AbortController()
    const slow = fakeKind('slow', t, {
      run: async (_step, ctx) => {
        controller.abort()
        expect(ctx.signal.aborted).toBe(true)
        throw new Error('stopped by the signal')
      },
    })
    const work = fakeKind('work', t)
    const steps = [fakeStep('cutover.a', 'work'), fakeStep('cutover.b', 'slow'), fakeStep('cutover.c', 'work')]
    const store = new MemoryStateStore()
    const { engine, events: ev } = makeEngine({ steps, kinds: [work, slow], store, clock: manualClock(INSIDE) })
    await expect(engine.apply({ signal: controller.signal })).resolves.toEqual({ outcome: 'interrupted', step: 'cutover.b' })
    expect(await recordOf(store, 'cutover.b')).toMatchObject({ status: 'running', attempts: 1 })
    expect(await recordOf(store, 'cutover.c')).toBeUndefined()
    expect(t).not.toContain('run cutover.c')
    const journal = await store.readJournal()
    expect(events(journal).slice(-2)).toEqual(['interrupted cutover.b', 'apply-end cutover.b'])
    expect(journal.at(-1)).toMatchObject({ outcome: 'interrupted' })
    expect(ev.at(-1)).toEqual({ type: 'run-end', outcome: 'interrupted' })
    expect(await store.inspectLock()).toBeUndefined()
  })

  it('an abort between steps starts nothing more', async () => {
    const t: Timeline = []
    const controller = new AbortController()
    const first = fakeKind('first', t, { run: () => { controller.abort(); return {} } })
    const work = fakeKind('work', t)
    const steps = [fakeStep('cutover.a', 'first'), fakeStep('cutover.b', 'work')]
    const store = new MemoryStateStore()
    await expect(makeEngine({ steps, kinds: [first, work], store, clock: manualClock(INSIDE) }).engine.apply({ signal: controller.signal })).resolves.toEqual({ outcome: 'interrupted' })
    expect(await recordOf(store, 'cutover.a')).toMatchObject({ status: 'done' })
    expect(t).not.toContain('run cutover.b')
  })

  it('rollback stops before the next undo once aborted, and says what it undid', async () => {
    const t: Timeline = []
    const controller = new AbortController()
    const work = fakeKind('work', t, { undo: true })
    const steps = [fakeStep('cutover.a', 'work'), fakeStep('cutover.b', 'work')]
    const store = new MemoryStateStore()
    await makeEngine({ steps, kinds: [work], store, clock: manualClock(INSIDE) }).engine.apply()
    const { engine } = makeEngine({ steps, kinds: [work], store, clock: manualClock(INSIDE) })
    // The first undo (cutover.b) runs; the abort comes while it runs.
    Object.assign(work, { undo: async (step: { id: string }) => { t.push(`undo ${step.id}`); controller.abort() } })
    await expect(engine.rollback({ signal: controller.signal })).resolves.toEqual({ outcome: 'interrupted', undone: ['cutover.b'] })
    expect(t.filter((x) => x.startsWith('undo'))).toEqual(['undo cutover.b'])
    expect(await recordOf(store, 'cutover.a')).toMatchObject({ status: 'done' })
    expect(events(await store.readJournal()).at(-1)).toBe('interrupted')
  })
})

describe('Engine: the injected clock', () => {
  it('times rollback undos with the run clock, not the wall clock', async () => {
    const t: Timeline = []
    const clock = manualClock(INSIDE)
    const work = fakeKind('work', t, { undo: true })
    const steps = [fakeStep('cutover.a', 'work')]
    const store = new MemoryStateStore()
    await makeEngine({ steps, kinds: [work], store, clock }).engine.apply()
    Object.assign(work, { undo: async () => { clock.advance(90_000) } })
    const { engine, events: ev } = makeEngine({ steps, kinds: [work], store, clock })
    await engine.rollback()
    expect(ev.find((e) => e.type === 'step-done')).toMatchObject({ id: 'cutover.a', ms: 90_000 })
  })

  it('every change of a record is told to the listener: awaiting approval too', async () => {
    const t: Timeline = []
    const manual = fakeKind('manual-fake', t, { manual: true })
    const steps = [fakeStep('post.m', 'manual-fake', 'post')]
    const { engine, events: ev } = makeEngine({ steps, kinds: [manual], store: new MemoryStateStore(), clock: manualClock(INSIDE) })
    await engine.apply()
    expect(ev).toContainEqual({ type: 'step-status', id: 'post.m', title: 'title of post.m', status: 'awaiting-approval', move: 'awaiting-approval' })
  })
})
