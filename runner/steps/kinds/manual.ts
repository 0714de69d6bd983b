import { decommissionEntries } from '../decommission.js'
import { defineStep, makeStep } from '../define.js'

export type ManualInput = { readonly title: string; readonly instructions: string }

/** A step a person does; the run pauses until `cutover approve`. Plans have them only among the
 * decommission steps, whose effect cutover cannot know: once one is done, rollback refuses. */
export const manualKind = defineStep<'manual', ManualInput>({
  kind: 'manual',
  traits: { idempotent: false, manual: true, irreversible: true },
  fromPlan: (plan) => decommissionEntries(plan, 'manual', (d, id) =>
    makeStep('manual', id, 'post', d.title, { title: d.title, instructions: d.instructions })),
  preview: (step) => [{ type: 'manual', instructions: step.input.instructions }],
  run: () => Promise.reject(new Error('a manual step is approved, never run')),
})
