import type { Clock } from '../core/clock.js'
import type { JsonObject } from '../core/json.js'
import type { Step } from '../core/step.js'
import { StateCorruptError } from '../state/errors.js'
import { compareWithJournal, replayJournal } from '../state/history.js'
import type { Disagreement } from '../state/history.js'
import { currentUser, thisProcessHolder } from '../state/holder.js'
import type { RunState, StateStore, StepRecord } from '../state/types.js'
import { Recorder } from './recorder.js'

export interface RepairSetup {
  readonly plan: { readonly name: string; readonly hash: string }
  readonly store: StateStore
  readonly steps: readonly Step[]
  readonly clock: Clock
  readonly command: string
  readonly who?: string
}

export type RepairResult =
  /** State and journal already agree: nothing was written. */
  | { readonly outcome: 'consistent' }
  | {
    readonly outcome: 'rebuilt'
    /** What disagreed, as found before the repair. */
    readonly disagreements: readonly Disagreement[]
    /** Steps the journal had no entry for, whose record the state still had: kept, and
     * journaled (`journal-restored`) so that both agree from now on. */
    readonly restoredToJournal: readonly string[]
    /** Steps whose fingerprint the journal did not record (journals of earlier versions): taken
     * from the plan as it is now. */
    readonly fingerprintsFromPlan: readonly string[]
    /** The unreadable state that was replaced, when it was (its problem). */
    readonly replacedUnreadable?: string
  }

function isRan(rec: StepRecord | undefined): boolean {
  return rec !== undefined && !(rec.status === 'pending' && rec.attempts === 0)
}

/**
 * `cutover repair`: rebuilds the state from the journal, the history of the run (what Flyway's
 * repair does for its schema history). Where the journal has entries for a step they decide its
 * record; where the state has a record the journal lost (an emptied or cut journal), that record
 * is kept and journaled, so that nothing known is thrown away and both agree afterwards. An
 * unreadable state (truncated, not JSON) is replaced. Under the plan's lock, journaled.
 */
export async function repairState(setup: RepairSetup): Promise<RepairResult> {
  const who = setup.who ?? currentUser()
  const lock = await setup.store.acquireLock({ ...thisProcessHolder(setup.command, setup.clock), user: who })
  try {
    let loaded: RunState | undefined
    let unreadable: string | undefined
    try {
      loaded = await setup.store.load()
    } catch (error) {
      if (!(error instanceof StateCorruptError)) throw error
      unreadable = error.problem
    }
    const entries = await setup.store.readJournal()
    const found = compareWithJournal(loaded, entries)
    if (found.ok && found.caughtUp === undefined && unreadable === undefined) return { outcome: 'consistent' }
    const disagreements = found.ok ? (found.caughtUp === undefined ? [] : [found.caughtUp]) : found.disagreements
    const replay = replayJournal(entries)
    const fromPlan = new Map<string, Step>(setup.steps.map((s) => [s.id as string, s]))
    const steps: Record<string, StepRecord> = {}
    const fingerprintsFromPlan: string[] = []
    for (const [id, rec] of Object.entries(replay.steps)) {
      if (replay.fingerprintUnknown.includes(id) || rec.fingerprint === '') {
        const known = loaded?.steps[id]?.fingerprint ?? fromPlan.get(id)?.fingerprint
        steps[id] = { ...rec, fingerprint: known ?? '', ...(rec.kind === undefined && fromPlan.get(id) !== undefined ? { kind: fromPlan.get(id)?.kind ?? '' } : {}) }
        if (loaded?.steps[id] === undefined) fingerprintsFromPlan.push(id)
      } else steps[id] = rec
    }
    // What only the state knows is kept, not thrown away: the journal gets it back below.
    const restoredToJournal: string[] = []
    for (const [id, rec] of Object.entries(loaded?.steps ?? {})) {
      if (steps[id] === undefined && isRan(rec)) {
        steps[id] = rec
        restoredToJournal.push(id)
      }
    }
    // The one-move-ahead step (found.caughtUp) keeps the state's record: it was saved last.
    if (found.ok && found.caughtUp !== undefined && loaded?.steps[found.caughtUp.step] !== undefined) {
      const rec = loaded.steps[found.caughtUp.step]
      if (rec !== undefined) {
        steps[found.caughtUp.step] = rec
        restoredToJournal.push(found.caughtUp.step)
      }
    }
    const now = setup.clock.now().toISOString()
    const latest = [now, replay.lastAt ?? now, loaded?.updatedAt ?? now].sort().at(-1) ?? now
    const retired = { ...(loaded?.retired ?? {}), ...replay.retired }
    const hash = replay.planHash ?? loaded?.plan.hash ?? setup.plan.hash
    const state: RunState = {
      formatVersion: 1,
      plan: { name: setup.plan.name, hash, ...(replay.planCommit === undefined ? {} : { commit: replay.planCommit, commitSource: replay.planCommitSource ?? 'git' }) },
      steps,
      ...(Object.keys(retired).length === 0 ? {} : { retired }),
      createdAt: loaded?.createdAt ?? replay.firstAt ?? now,
      updatedAt: latest,
    }
    const recorder = new Recorder(state, setup.store, setup.clock, { who }, () => undefined, (text) => text)
    await recorder.replace((s) => s)
    for (const id of restoredToJournal) {
      const rec = steps[id]
      if (rec !== undefined) await recorder.journal('journal-restored', { step: id, outcome: rec.status, detail: { why: 'cutover repair: the journal had no entry for what the state recorded', restored: rec as unknown as JsonObject } })
    }
    await recorder.journal('state-rebuilt', {
      outcome: 'rebuilt',
      detail: {
        disagreements: disagreements.map((d) => ({ step: d.step, state: d.state, journal: d.journal })),
        restoredToJournal,
        fingerprintsFromPlan,
        replacedUnreadable: unreadable ?? null,
      },
    })
    return { outcome: 'rebuilt', disagreements, restoredToJournal, fingerprintsFromPlan, ...(unreadable === undefined ? {} : { replacedUnreadable: unreadable }) }
  } finally {
    await lock.release()
  }
}
