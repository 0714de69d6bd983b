/**
 * The journal is the history of a run (issue 13, item 1): when the state and the journal
 * disagree, apply refuses and `repair` rebuilds the state from the journal; a done step never
 * runs again by accident. Run on the file store, where the corruption cases are real files.
 */
import { mkdtempSync } from 'node:fs'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { manualClock } from '../../runner/core/clock.js'
import { repairState } from '../../runner/engine/repair.js'
import { FileStateStore } from '../../runner/state/file-store.js'
import { MemoryStateStore } from '../../runner/state/memory-store.js'
import { compareWithJournal, replayJournal } from '../../runner/state/history.js'
import type { JournalEntry, RunState, StateStore } from '../../runner/state/types.js'
import type { Step } from '../../runner/core/step.js'
import { INSIDE, fakeKind, fakeStep, makeEngine } from '../helpers/engine-fakes.js'
import type { Timeline } from '../helpers/engine-fakes.js'

function world(t: Timeline) {
  const work = fakeKind('work', t, { run: (step) => ({ outputs: { made: step.id } }) })
  const once = fakeKind('once', t, { idempotent: false })
  const steps = [fakeStep('cutover.a', 'work'), fakeStep('cutover.b', 'once'), fakeStep('cutover.c', 'work'), fakeStep('cutover.d', 'work')]
  return { kinds: [work, once], steps, work, once }
}

function fileStore(): FileStateStore {
  return new FileStateStore(join(mkdtempSync(join(tmpdir(), 'cutover-history-')), '.cutover'), 'lab')
}

async function partialRun(store: StateStore, steps: readonly Step[], kinds: ReturnType<typeof world>['kinds']): Promise<void> {
  await expect(makeEngine({ steps, kinds, store, clock: manualClock(INSIDE) }).engine.apply({ until: 'cutover.b' })).resolves.toMatchObject({ outcome: 'paused', reason: 'until' })
}

function repair(store: StateStore, steps: readonly Step[]) {
  return repairState({ plan: { name: 'lab', hash: 'test-plan-hash' }, store, steps, clock: manualClock(INSIDE), command: 'cutover repair', who: 'tester' })
}

function runs(t: Timeline): string[] {
  return t.filter((x) => x.startsWith('run '))
}

describe('state and journal must agree before apply runs anything', () => {
  it.each([
    ['the state file deleted', async (s: FileStateStore) => { await rm(s.paths.state) }],
    ['the state file and its .bak deleted', async (s: FileStateStore) => { await rm(s.paths.state); await rm(s.paths.backup, { force: true }) }],
  ])('%s after a partial run: apply refuses, repair rebuilds, apply goes on without re-running done steps', async (_case, damage) => {
    const t: Timeline = []
    const { kinds, steps } = world(t)
    const store = fileStore()
    await partialRun(store, steps, kinds)
    const before = await store.load()
    expect(runs(t)).toEqual(['run cutover.a', 'run cutover.b'])
    await damage(store)

    const refused = makeEngine({ steps, kinds, store, clock: manualClock(INSIDE) }).engine.apply()
    // With the .bak left, the file store itself refuses (a backup says the plan ran before);
    // without it, the journal does. Either way: one line, and the command that repairs it.
    await expect(refused).rejects.toThrow(/(is missing, although a backup|the state is missing, but the journal records 2 step\(s\) that ran).*cutover repair/)
    expect(runs(t)).toEqual(['run cutover.a', 'run cutover.b'])

    const repaired = await repair(store, steps)
    expect(repaired).toMatchObject({ outcome: 'rebuilt', restoredToJournal: [], fingerprintsFromPlan: [] })
    const rebuilt = await store.load()
    // The journal carries what the records held: status, attempts, fingerprint, outputs.
    for (const id of ['cutover.a', 'cutover.b']) {
      expect(rebuilt?.steps[id]).toMatchObject({ status: 'done', attempts: 1, fingerprint: before?.steps[id]?.fingerprint, kind: before?.steps[id]?.kind })
    }
    expect(rebuilt?.steps['cutover.a']).toMatchObject({ outputs: { made: 'cutover.a' } })
    expect((await store.readJournal()).at(-1)).toMatchObject({ event: 'state-rebuilt', who: 'tester' })

    await expect(makeEngine({ steps, kinds, store, clock: manualClock(INSIDE) }).engine.apply()).resolves.toEqual({ outcome: 'done' })
    expect(runs(t)).toEqual(['run cutover.a', 'run cutover.b', 'run cutover.c', 'run cutover.d'])
  })

  it('an emptied journal: apply refuses; repair keeps what the state knows and writes it back to the journal', async () => {
    const t: Timeline = []
    const { kinds, steps } = world(t)
    const store = fileStore()
    await partialRun(store, steps, kinds)
    await writeFile(store.paths.journal, '')
    await expect(makeEngine({ steps, kinds, store, clock: manualClock(INSIDE) }).engine.apply()).rejects.toThrow(/the journal is empty, but the state records 2 step\(s\) that ran/)
    const repaired = await repair(store, steps)
    expect(repaired).toMatchObject({ outcome: 'rebuilt', restoredToJournal: ['cutover.a', 'cutover.b'] })
    expect(compareWithJournal(await store.load(), await store.readJournal())).toEqual({ ok: true })
    await expect(makeEngine({ steps, kinds, store, clock: manualClock(INSIDE) }).engine.apply()).resolves.toEqual({ outcome: 'done' })
    expect(runs(t)).toEqual(['run cutover.a', 'run cutover.b', 'run cutover.c', 'run cutover.d'])
  })

  it("a journal line removed (a step's done entry): apply refuses and names the step", async () => {
    const t: Timeline = []
    const { kinds, steps } = world(t)
    const store = fileStore()
    await partialRun(store, steps, kinds)
    const lines = (await readFile(store.paths.journal, 'utf8')).split('\n')
    const cut = lines.filter((l) => !(l.includes('"step-done"') && l.includes('"cutover.a"')))
    expect(cut.length).toBe(lines.length - 1)
    await writeFile(store.paths.journal, cut.join('\n'))
    await expect(makeEngine({ steps, kinds, store, clock: manualClock(INSIDE) }).engine.apply()).rejects.toThrow(/cutover\.a is done in the state but running in the journal/)
    expect(runs(t)).toEqual(['run cutover.a', 'run cutover.b'])
    // The journal says it started and never ended: repair makes it running, and apply settles
    // it as any interrupted step (here: idempotent, so it runs again, on purpose and journaled).
    await repair(store, steps)
    expect((await store.load())?.steps['cutover.a']).toMatchObject({ status: 'running' })
  })

  it('a state restored from an older copy (a step pending in the state, done in the journal) is refused', async () => {
    const t: Timeline = []
    const { kinds, steps } = world(t)
    const store = fileStore()
    await makeEngine({ steps, kinds, store, clock: manualClock(INSIDE) }).engine.apply({ until: 'cutover.a' })
    const older = await readFile(store.paths.state, 'utf8')
    const clock = manualClock(INSIDE)
    clock.advance(60_000)
    await makeEngine({ steps, kinds, store, clock }).engine.apply({ until: 'cutover.c' })
    await writeFile(store.paths.state, older)
    await expect(makeEngine({ steps, kinds, store, clock }).engine.apply()).rejects.toThrow(/cutover\.(b|c) is not recorded in the state but done in the journal \(and 1 more\)/)
    expect(runs(t)).toEqual(['run cutover.a', 'run cutover.b', 'run cutover.c'])
  })

  it('a crash between a save and its journal line is not a disagreement: the move is journaled and the run goes on', async () => {
    const t: Timeline = []
    const { kinds, steps } = world(t)
    const store = fileStore()
    await partialRun(store, steps, kinds)
    // What a kill right after the `running` save of cutover.c leaves: the state one move ahead,
    // and a journal whose run never ended (the partial run's apply-end cut off).
    const lines = (await readFile(store.paths.journal, 'utf8')).trimEnd().split('\n')
    expect(lines.at(-1)).toContain('"apply-end"')
    await writeFile(store.paths.journal, lines.slice(0, -1).join('\n') + '\n')
    const state = (await store.load()) as RunState
    const c = steps[2] as Step
    await store.save({ ...state, steps: { ...state.steps, [c.id]: { id: c.id, kind: c.kind, fingerprint: c.fingerprint, status: 'running', attempts: 1, startedAt: INSIDE } }, updatedAt: INSIDE })
    await expect(makeEngine({ steps, kinds, store, clock: manualClock(INSIDE) }).engine.apply()).resolves.toEqual({ outcome: 'done' })
    expect((await store.readJournal()).find((e) => e.event === 'journal-restored')).toMatchObject({ step: 'cutover.c', outcome: 'running' })
    expect(compareWithJournal(await store.load(), await store.readJournal())).toEqual({ ok: true })
    // The same state after a run that ended is not a crash: refused.
    const ended = fileStore()
    await partialRun(ended, steps, kinds)
    const s2 = (await ended.load()) as RunState
    await ended.save({ ...s2, steps: { ...s2.steps, [c.id]: { id: c.id, kind: c.kind, fingerprint: c.fingerprint, status: 'running', attempts: 1, startedAt: INSIDE } }, updatedAt: INSIDE })
    await expect(makeEngine({ steps, kinds, store: ended, clock: manualClock(INSIDE) }).engine.apply()).rejects.toThrow(/cutover\.c is running in the state but has no journal entry/)
  })

  it('a BOM in the state file is read past; a truncated state is replaced by repair', async () => {
    const t: Timeline = []
    const { kinds, steps } = world(t)
    const store = fileStore()
    await partialRun(store, steps, kinds)
    const text = await readFile(store.paths.state, 'utf8')
    await writeFile(store.paths.state, `\uFEFF${text}`)
    await expect(store.load()).resolves.toMatchObject({ steps: { 'cutover.a': { status: 'done' } } })

    await writeFile(store.paths.state, text.slice(0, 40))
    await expect(store.load()).rejects.toThrow(/is truncated.*Run `cutover repair`/)
    await expect(repair(store, steps)).resolves.toMatchObject({ outcome: 'rebuilt', replacedUnreadable: expect.stringMatching(/truncated/) })
    await expect(makeEngine({ steps, kinds, store, clock: manualClock(INSIDE) }).engine.apply()).resolves.toEqual({ outcome: 'done' })
    expect(runs(t)).toEqual(['run cutover.a', 'run cutover.b', 'run cutover.c', 'run cutover.d'])
  })

  it('repair changes nothing when the state and the journal agree', async () => {
    const t: Timeline = []
    const { kinds, steps } = world(t)
    const store = fileStore()
    await partialRun(store, steps, kinds)
    const journal = await readFile(store.paths.journal, 'utf8')
    await expect(repair(store, steps)).resolves.toEqual({ outcome: 'consistent' })
    expect(await readFile(store.paths.journal, 'utf8')).toBe(journal)
  })
})

describe('the same check and repair on a store that keeps no files (the contract the SQL Server store keeps)', () => {
  it('a state row lost while its journal rows remain: apply refuses, repair rebuilds through save and append', async () => {
    const t: Timeline = []
    const { kinds, steps } = world(t)
    const first = new MemoryStateStore()
    await partialRun(first, steps, kinds)
    // Only the journal survives (the dbo.cutoverState row deleted, say).
    const store = new MemoryStateStore({ journal: await first.readJournal() })
    await expect(makeEngine({ steps, kinds, store, clock: manualClock(INSIDE) }).engine.apply()).rejects.toThrow(/the state is missing, but the journal records 2 step\(s\) that ran/)
    await expect(repair(store, steps)).resolves.toMatchObject({ outcome: 'rebuilt' })
    await expect(makeEngine({ steps, kinds, store, clock: manualClock(INSIDE) }).engine.apply()).resolves.toEqual({ outcome: 'done' })
    expect(runs(t)).toEqual(['run cutover.a', 'run cutover.b', 'run cutover.c', 'run cutover.d'])
  })
})

describe('replayJournal', () => {
  const at = '2026-12-06T04:00:00.000Z'
  const e = (event: string, step: string, extra: Partial<JournalEntry> = {}): JournalEntry => ({ at, who: 'a', host: 'h', pid: 1, event, step, ...extra })

  it('rebuilds a resolve --done after a failure as marked done from a failure, and a rerun as failed', () => {
    const replay = replayJournal([
      e('step-start', 's', { detail: { attempt: 1, record: { kind: 'k', fingerprint: 'f' } } }),
      e('step-failed', 's', { outcome: 'failed', detail: { error: 'boom', record: { kind: 'k', fingerprint: 'f' } } }),
      e('resolve-done', 's', { outcome: 'done', detail: { by: 'alice', record: { kind: 'k', fingerprint: 'f', resolvedFrom: 'failed' } } }),
    ])
    expect(replay.steps.s).toMatchObject({ status: 'done', resolvedBy: 'alice', resolvedFrom: 'failed', attempts: 1, fingerprint: 'f' })
    const again = replayJournal([...[e('step-start', 't', { detail: { attempt: 1 } }), e('step-done', 't', { outcome: 'done' })], e('resolve-rerun', 't', { outcome: 'failed', detail: { by: 'bob' } })])
    expect(again.steps.t).toMatchObject({ status: 'failed', attempts: 1 })
    // An older journal without records: the fingerprint is unknown, and said so.
    expect(again.fingerprintUnknown).toEqual(['t'])
  })
})
