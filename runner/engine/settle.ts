import { hostname } from 'node:os'
import type { Clock } from '../core/clock.js'
import { currentUser, thisProcessHolder } from '../state/holder.js'
import type { RunState, StateStore, StepRecord } from '../state/types.js'
import type { Step } from '../core/step.js'
import type { StepKind } from '../steps/define.js'
import { RefusedError } from './errors.js'

interface SettleSetup {
  readonly plan: { readonly name: string; readonly hash: string }
  readonly store: StateStore
  readonly steps: readonly Step[]
  readonly kinds: readonly StepKind[]
  readonly clock: Clock
  readonly command: string
  readonly who?: string
}

/** Changes one step's record under the plan's lock and journals who did it. */
async function change(setup: SettleSetup, stepId: string, event: string, edit: (rec: StepRecord | undefined, step: Step, kind: StepKind) => StepRecord, detail: Record<string, string> = {}): Promise<StepRecord> {
  const step = setup.steps.find((s) => s.id === stepId)
  if (step === undefined) throw new RefusedError(`${stepId} is not a step of this plan`)
  const kind = setup.kinds.find((k) => k.kind === step.kind)
  if (kind === undefined) throw new RefusedError(`${stepId} has an unknown kind ${step.kind}`)
  const who = setup.who ?? currentUser()
  const lock = await setup.store.acquireLock({ ...thisProcessHolder(setup.command, setup.clock), user: who })
  try {
    const now = setup.clock.now().toISOString()
    const state: RunState = (await setup.store.load()) ?? { formatVersion: 1, plan: { name: setup.plan.name, hash: setup.plan.hash }, steps: {}, createdAt: now, updatedAt: now }
    const rec = edit(state.steps[stepId], step, kind)
    await setup.store.save({ ...state, steps: { ...state.steps, [stepId]: rec }, updatedAt: now })
    await setup.store.append({ at: now, who, host: hostname(), pid: process.pid, event, step: stepId, outcome: rec.status, detail })
    return rec
  } finally {
    await lock.release()
  }
}

/** `cutover approve`: records who approved a manual step; the next apply goes past it. */
export function approve(setup: SettleSetup, stepId: string, by: string): Promise<StepRecord> {
  return change(setup, stepId, 'approve', (rec, step, kind) => {
    if (kind.traits.manual !== true) throw new RefusedError(`${stepId} is not a manual step; only manual steps are approved`)
    if (rec?.status === 'done') throw new RefusedError(`${stepId} is already done${rec.approvedBy === undefined ? '' : ` (approved by ${rec.approvedBy})`}`)
    const now = setup.clock.now().toISOString()
    return { id: stepId, status: 'done', fingerprint: step.fingerprint, attempts: rec?.attempts ?? 0, approvedBy: by, approvedAt: now, endedAt: now }
  }, { by })
}

/** `cutover resolve`: the admin settles a step that was interrupted (or failed) mid-run. */
export function resolveStep(setup: SettleSetup, stepId: string, how: 'done' | 'retry'): Promise<StepRecord> {
  return change(setup, stepId, `resolve-${how}`, (rec, step) => {
    if (rec === undefined || (rec.status !== 'running' && rec.status !== 'failed')) {
      throw new RefusedError(`${stepId} is ${rec?.status ?? 'pending'}; only an interrupted (running) or failed step can be resolved`)
    }
    const now = setup.clock.now().toISOString()
    // --retry keeps the attempt count, so apply knows a partial attempt exists and recovers first.
    return how === 'done'
      ? { ...rec, status: 'done', fingerprint: step.fingerprint, endedAt: now }
      : { ...rec, status: 'failed', error: rec.error ?? 'interrupted; marked for retry by cutover resolve --retry', endedAt: now }
  })
}
