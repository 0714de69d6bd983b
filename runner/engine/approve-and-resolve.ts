import type { Clock } from '../core/clock.js'
import type { Step } from '../core/step.js'
import { currentUser, thisProcessHolder } from '../state/holder.js'
import type { JournalEntry, StateStore, StepRecord } from '../state/types.js'
import { RefusedError } from './errors.js'
import type { KindLookup } from './guards.js'
import { journalTakeover } from './lock-takeover.js'
import { Recorder, newRunState } from './recorder.js'
import { canMove } from './transitions.js'
import type { Move } from './transitions.js'

export interface DecisionSetup {
  readonly plan: { readonly name: string; readonly hash: string }
  readonly store: StateStore
  readonly steps: readonly Step[]
  readonly kinds: KindLookup
  readonly clock: Clock
  readonly command: string
  readonly who?: string
  /** Told when the decision took over a stale lock (journaled as lock-taken-over). */
  readonly onTakeover?: (message: string) => void
}

/** Records an admin's decision on one step, under the plan's lock, through the one transition
 * function (journaled with who made it). `check` refuses decisions that make no sense; it may
 * read the journal. */
async function decide(setup: DecisionSetup, stepId: string, move: Move | ((rec: StepRecord | undefined) => Move), check: (rec: StepRecord | undefined, step: Step, journal: () => Promise<readonly JournalEntry[]>) => void | Promise<void>): Promise<StepRecord> {
  const step = setup.steps.find((s) => s.id === stepId)
  if (step === undefined) throw new RefusedError(`${stepId} is not a step of this plan`)
  if (setup.kinds(step.kind) === undefined) throw new RefusedError(`${stepId} has an unknown kind ${step.kind}`)
  const who = setup.who ?? currentUser()
  const lock = await setup.store.acquireLock({ ...thisProcessHolder(setup.command, setup.clock), user: who })
  try {
    const state = (await setup.store.load()) ?? newRunState(setup.plan, setup.clock.now().toISOString())
    const recorder = new Recorder(state, setup.store, setup.clock, { who }, () => undefined, (text) => text)
    const takeover = await journalTakeover(lock, () => recorder)
    if (takeover !== undefined) setup.onTakeover?.(takeover)
    const rec = state.steps[stepId]
    await check(rec, step, () => setup.store.readJournal())
    return await recorder.move(step, typeof move === 'function' ? move(rec) : move)
  } finally {
    await lock.release()
  }
}

export interface ApproveOptions {
  /** What the approver notes: what was checked, a ticket number. */
  readonly note?: string
  /** Approve a manual step the run has not reached yet (recorded as a pre-approval). */
  readonly ahead?: boolean
}

/** `cutover approve`: records who approved a manual step the run waits at (the next apply goes
 * past it), or with `ahead` one it has not reached yet (apply goes past it when it gets there).
 * A step that is not waiting is refused without `ahead`: an approval means the step was done. */
export function approve(setup: DecisionSetup, stepId: string, by: string, opts: ApproveOptions = {}): Promise<StepRecord> {
  const note = opts.note === undefined || opts.note.trim() === '' ? {} : { note: opts.note.trim() }
  const move: Move = opts.ahead === true ? { to: 'pre-approved', by, ...note } : { to: 'approved', by, ...note }
  return decide(setup, stepId, move, (rec, step) => {
    // Besides manual steps, a step whose run asked for an approval (it is awaiting one), such as
    // an Import -WhatIf that found warnings; only manual steps are approved ahead.
    if (setup.kinds(step.kind)?.traits.manual !== true && (rec?.status !== 'awaiting-approval' || opts.ahead === true)) throw new RefusedError(`${stepId} is not a manual step and awaits no approval; only those are approved`)
    if (rec?.status === 'done') throw new RefusedError(`${stepId} is already done${rec.approvedBy === undefined ? '' : ` (approved by ${rec.approvedBy})`}`)
    const status = rec?.status ?? 'pending'
    if (opts.ahead === true) {
      if (status === 'awaiting-approval') throw new RefusedError(`${stepId} already awaits approval: approve it without --ahead`)
      if (rec?.status === 'pending' && rec.preApproval !== undefined) throw new RefusedError(`${stepId} is already approved ahead by ${rec.preApproval.by}; revoke it first (cutover approve <plan> ${stepId} --revoke) to approve it again`)
      if (status !== 'pending') throw new RefusedError(`${stepId} is ${status}; only a step the run has not reached can be approved ahead`)
      return
    }
    if (status !== 'awaiting-approval') {
      throw new RefusedError(`${stepId} is not awaiting approval (it is ${status}): the run has not reached it yet. Approve it when apply pauses there, or approve it ahead with --ahead (recorded as a pre-approval)`)
    }
  })
}

/** `cutover approve --revoke`: withdraws an approval before the run went past the step: a
 * pre-approval, or the approval of a step no apply has started from since. */
export function revokeApproval(setup: DecisionSetup, stepId: string): Promise<StepRecord> {
  return decide(setup, stepId, { to: 'revoked' }, async (rec, step, journal) => {
    if (setup.kinds(step.kind)?.traits.manual !== true) throw new RefusedError(`${stepId} is not a manual step; it has no approval to revoke`)
    if (rec?.status === 'pending' && rec.preApproval !== undefined) return
    if (rec?.status !== 'done' || rec.approvedBy === undefined) throw new RefusedError(`${stepId} has no approval to revoke (it is ${rec?.status ?? 'pending'})`)
    if (rec.approvedAhead === true || (await passedSinceApproval(await journal(), stepId))) {
      throw new RefusedError(`${stepId} was approved by ${rec.approvedBy} and the run has gone past it since: its approval can no longer be revoked`)
    }
  })
}

/** Whether an apply started after the step's latest approval (and so went past it). */
function passedSinceApproval(journal: readonly JournalEntry[], stepId: string): boolean {
  let approvedAt = -1
  journal.forEach((e, i) => {
    if (e.event === 'approve' && e.step === stepId) approvedAt = i
  })
  return approvedAt >= 0 && journal.slice(approvedAt + 1).some((e) => e.event === 'apply-start')
}

/** `cutover resolve`: the admin settles a step that was interrupted (or failed) mid-run, or
 * (`rerun`) asks for a done step to run again on purpose, e.g. an export whose file was damaged.
 * A re-run is refused for kinds that cannot run twice: irreversible and manual steps, and steps
 * that are not idempotent and have no recovery of a partial run. */
export function resolveStep(setup: DecisionSetup, stepId: string, how: 'done' | 'retry' | 'rerun', by: string = setup.who ?? currentUser()): Promise<StepRecord> {
  const move: Move = how === 'done' ? { to: 'resolved-done', by } : how === 'retry' ? { to: 'retry' } : { to: 'rerun', by }
  return decide(setup, stepId, move, (rec, step) => {
    if (how === 'rerun') {
      const kind = setup.kinds(step.kind)
      if (rec?.status !== 'done') throw new RefusedError(`${stepId} is ${rec?.status ?? 'pending'}; only a done step is re-run with --rerun (apply runs the others anyway)`)
      if (kind?.traits.irreversible === true || kind?.traits.manual === true) throw new RefusedError(`${stepId} is a ${kind.traits.manual === true ? 'manual' : 'irreversible'} step (${step.kind}); cutover will not run it again`)
      if (kind?.traits.idempotent !== true && kind?.recover === undefined) throw new RefusedError(`${stepId} (${step.kind}) cannot safely run twice and has no way to undo a partial run; cutover will not run it again`)
      return
    }
    if (!canMove(rec, move.to)) throw new RefusedError(`${stepId} is ${rec?.status ?? 'pending'}; only an interrupted (running) or failed step can be resolved`)
  })
}
