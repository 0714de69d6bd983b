import type { Clock } from '../core/clock.js'
import type { Step } from '../core/step.js'
import { currentUser, thisProcessHolder } from '../state/holder.js'
import type { StateStore, StepRecord } from '../state/types.js'
import { RefusedError } from './errors.js'
import type { KindLookup } from './guards.js'
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
}

/** Records an admin's decision on one step, under the plan's lock, through the one transition
 * function (journaled with who made it). `check` refuses decisions that make no sense. */
async function decide(setup: DecisionSetup, stepId: string, move: Move, check: (rec: StepRecord | undefined, step: Step) => void): Promise<StepRecord> {
  const step = setup.steps.find((s) => s.id === stepId)
  if (step === undefined) throw new RefusedError(`${stepId} is not a step of this plan`)
  if (setup.kinds(step.kind) === undefined) throw new RefusedError(`${stepId} has an unknown kind ${step.kind}`)
  const who = setup.who ?? currentUser()
  const lock = await setup.store.acquireLock({ ...thisProcessHolder(setup.command, setup.clock), user: who })
  try {
    const state = (await setup.store.load()) ?? newRunState(setup.plan, setup.clock.now().toISOString())
    check(state.steps[stepId], step)
    const recorder = new Recorder(state, setup.store, setup.clock, { who }, () => undefined, (text) => text)
    return await recorder.move(step, move)
  } finally {
    await lock.release()
  }
}

/** `cutover approve`: records who approved a manual step; the next apply goes past it. */
export function approve(setup: DecisionSetup, stepId: string, by: string): Promise<StepRecord> {
  return decide(setup, stepId, { to: 'approved', by }, (rec, step) => {
    // Besides manual steps, a step whose run asked for an approval (it is awaiting one).
    if (setup.kinds(step.kind)?.traits.manual !== true && rec?.status !== 'awaiting-approval') throw new RefusedError(`${stepId} is not a manual step and awaits no approval; only those are approved`)
    if (rec?.status === 'done') throw new RefusedError(`${stepId} is already done${rec.approvedBy === undefined ? '' : ` (approved by ${rec.approvedBy})`}`)
  })
}

/** `cutover resolve`: the admin settles a step that was interrupted (or failed) mid-run. */
export function resolveStep(setup: DecisionSetup, stepId: string, how: 'done' | 'retry', by: string = setup.who ?? currentUser()): Promise<StepRecord> {
  const move: Move = how === 'done' ? { to: 'resolved-done', by } : { to: 'retry' }
  return decide(setup, stepId, move, (rec) => {
    if (!canMove(rec, move.to)) throw new RefusedError(`${stepId} is ${rec?.status ?? 'pending'}; only an interrupted (running) or failed step can be resolved`)
  })
}
