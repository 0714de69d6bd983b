import type { Step } from '../core/step.js'
import type { RunState, StepRecord } from '../state/types.js'
import { RefusedError } from './errors.js'
import type { StepKind } from '../steps/define.js'

/** The kind of a name, or undefined when no kind has it (steps/registry.ts). */
export type KindLookup = (name: string) => StepKind | undefined

/** Records that say a step did something (not merely pending) and that the plan no longer has;
 * with `includeRetired`, also those an admin retired with --accept-changes. */
export function missingFromPlan(state: RunState, steps: readonly Step[], opts: { readonly includeRetired?: boolean } = {}): StepRecord[] {
  const ids = new Set<string>(steps.map((s) => s.id))
  const recorded = [...Object.values(state.steps), ...(opts.includeRetired === true ? Object.values(state.retired ?? {}) : [])]
  return recorded.filter((r) => !ids.has(r.id) && !(r.status === 'pending' && r.attempts === 0))
}

/** The kind a record was made by: recorded in it, else (states written before records named
 * their kind) the kind of the plan's step of that id. */
function kindOfRecord(rec: StepRecord, steps: readonly Step[]): string | undefined {
  return rec.kind ?? steps.find((s) => s.id === rec.id)?.kind
}

/** Done records of irreversible kinds, from the recorded state (the plan file may no longer list
 * them). A record whose kind cannot be told counts as irreversible: rollback must not guess. */
export function irreversibleDone(state: RunState, steps: readonly Step[], kinds: KindLookup): string[] {
  return [...Object.values(state.steps), ...Object.values(state.retired ?? {})]
    .filter((r) => r.status === 'done')
    .filter((r) => {
      const name = kindOfRecord(r, steps)
      const kind = name === undefined ? undefined : kinds(name)
      return kind === undefined || kind.traits.irreversible === true
    })
    .map((r) => r.id)
}

/** The cutover and post steps rollback undoes, newest first: those that ran (done, failed or
 * interrupted, with an attempt) and whose kind has an undo. */
export function undoPlan(state: RunState, steps: readonly Step[], kinds: KindLookup): Step[] {
  return [...steps].reverse().filter((step) => {
    const rec = state.steps[step.id]
    if ((step.phase !== 'cutover' && step.phase !== 'post') || rec === undefined || rec.attempts === 0) return false
    if (rec.status !== 'done' && rec.status !== 'failed' && rec.status !== 'running') return false
    return kinds(step.kind)?.undo !== undefined
  })
}

/**
 * What rollback would undo, newest first, read from the recorded state; throws RefusedError
 * naming the records when it must refuse: nothing ran, decommissioning has begun (a done step of
 * an irreversible kind, even one the plan no longer lists), or a step that needs undoing is no
 * longer in the plan.
 */
export function planRollback(state: RunState | undefined, steps: readonly Step[], kinds: KindLookup): Step[] {
  assertRan(state)
  const irreversible = irreversibleDone(state, steps, kinds)
  if (irreversible.length > 0) throw new RefusedError(`decommissioning has begun (${irreversible.join(', ')}): the legacy deployment cannot be rolled back to`)
  const orphans = missingFromPlan(state, steps, { includeRetired: true }).filter((m) => {
    const kind = m.kind === undefined ? undefined : kinds(m.kind)
    return kind === undefined || kind.undo !== undefined
  })
  if (orphans.length > 0) {
    const one = orphans.length === 1
    throw new RefusedError(`${orphans.map((m) => `${m.id} (${m.status})`).join(', ')} ran but ${one ? 'is' : 'are'} no longer in the plan, so cutover cannot undo ${one ? 'it' : 'them'}; put ${one ? 'it' : 'them'} back in the plan, then roll back`)
  }
  return undoPlan(state, steps, kinds)
}

/** Refuses a rollback of a plan that never ran (no state). */
export function assertRan(state: RunState | undefined): asserts state is RunState {
  if (state === undefined) throw new RefusedError('this plan has never run: there is nothing to roll back')
}
