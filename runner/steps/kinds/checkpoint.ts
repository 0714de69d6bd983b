import type { Phase, Step } from '../../core/step.js'
import { stepId } from '../../core/step.js'
import type { Checkpoint } from '../../plan/types.js'
import { defineStep, makeStep } from '../define.js'

/** `before`: the step the run pauses ahead of; `instructions`: what the pause shows. */
export type CheckpointInput = { readonly before: string; readonly title: string; readonly instructions: string }

/** The id of the plan's `n`th (from 1) checkpoint, in the phase of the step it precedes. */
export function checkpointId(phase: Phase, n: number): string {
  return `${phase}.checkpoint.${n}`
}

/** The step of the plan's `n`th checkpoint, placed in the phase of `next`, the step it precedes. */
export function checkpointStep(c: Checkpoint, n: number, next: Step): Step<'checkpoint', CheckpointInput> {
  const instructions = `${c.instructions} Then confirm with cutover approve; the run goes on with ${next.id}.`
  return makeStep('checkpoint', stepId('checkpoint', checkpointId(next.phase, n)), next.phase, c.title, { before: c.before, title: c.title, instructions })
}

/**
 * A go/no-go the plan places before a named step (`checkpoints:`), e.g. before Group Chat stops or
 * before the new clients are enabled. The run pauses until `cutover approve`. Unlike a
 * decommission `manual` entry it is not irreversible: approving a check changes nothing that
 * rollback would have to undo. compile places these (after sorting, right before their step), so
 * fromPlan makes none.
 */
export const checkpointKind = defineStep<'checkpoint', CheckpointInput>({
  kind: 'checkpoint',
  traits: { idempotent: false, manual: true },
  fromPlan: () => [],
  preview: (step) => [{ type: 'manual', instructions: step.input.instructions }],
  run: () => Promise.reject(new Error('a checkpoint is approved, never run')),
})
