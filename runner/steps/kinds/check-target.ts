import { stepId } from '../../core/step.js'
import type { StepId } from '../../core/step.js'
import { takeInventory } from '../../sql/inventory.js'
import { INVENTORY_QUERIES } from '../../sql/queries.js'
import { writeArtifact } from '../artifacts.js'
import { defineStep, makeStep } from '../define.js'

export type CheckTargetInput = { readonly pool: string }

/** The preflight read of the Persistent Chat store (what was there before the migration). */
export function checkTargetId(): StepId<'check-target'> {
  return stepId('check-target', 'preflight.target')
}

/** Reads the Persistent Chat store before anything is imported: it should be empty, since
 * Import overwrites same-named items (docs/microsoft-facts.md#the-documented-preparation); what is there is recorded so verification can
 * tell it from what the migration brought. */
export const checkTargetKind = defineStep<'check-target', CheckTargetInput>({
  kind: 'check-target',
  traits: { idempotent: true },
  fromPlan: (plan) => [{ slot: 'check-target', step: makeStep('check-target', checkTargetId(), 'preflight', `Check the Persistent Chat store of ${plan.target.pool}`, { pool: plan.target.pool }) }],
  preview: () => [{ type: 'sql', store: 'target', queries: INVENTORY_QUERIES }],
  async run(step, ctx) {
    const inv = await takeInventory(await ctx.sql({ kind: 'target' }), { cutoff: null, progress: (d, t) => ctx.progress(d, t, 'queries') })
    const { file, sha256 } = await writeArtifact(ctx, `inventory/${step.id}.json`, inv)
    const warnings = inv.totals.categories + inv.totals.rooms > 0
      ? [`the Persistent Chat store is not empty (${inv.totals.categories} categories, ${inv.totals.rooms} rooms): legacy items of the same name will overwrite them`]
      : []
    return { outputs: { artifact: file, sha256, ...inv.totals }, warnings }
  },
})
