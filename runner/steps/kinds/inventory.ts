import { stepId } from '../../core/step.js'
import type { StepId } from '../../core/step.js'
import { takeInventory } from '../../sql/inventory.js'
import { INVENTORY_QUERIES } from '../../sql/queries.js'
import { writeArtifact } from '../artifacts.js'
import { cutoffInstant } from '../../plan/cutoff.js'
import { defineStep, makeStep } from '../define.js'
import { fixedMinutes } from '../forecasts.js'

export type InventoryInput = { readonly source: string; readonly cutoff: string | null; readonly purpose: 'preflight' | 'freeze'; readonly sipDomain: string }

/** The preflight inventory of a source: what the lint and the preview read before the window. */
export function preflightInventoryId(source: string): StepId<'inventory'> {
  return stepId('inventory', `preflight.inventory.${source}`)
}

/** The frozen inventory of a source, taken once its services are stopped: what the export's
 * -Scope, the mappings and verification expect. */
export function frozenInventoryId(source: string): StepId<'inventory'> {
  return stepId('inventory', `cutover.inventory.${source}`)
}

/** The SIP domain of an address (`sip:ocschat@contoso.com` → `contoso.com`): the source's own users. */
export function sipDomainOf(sip: string): string {
  return sip.slice(sip.lastIndexOf('@') + 1).toLowerCase()
}

/** Reads a legacy store's categories, rooms, roles and messages since the cutoff. The frozen one
 * (taken once the services are stopped) is what verification expects to find afterwards. */
export const inventoryKind = defineStep<'inventory', InventoryInput>({
  kind: 'inventory',
  traits: { idempotent: true },
  fromPlan(plan) {
    const cutoff = cutoffInstant(plan)
    return plan.sources.flatMap((s, lane) => {
      const sipDomain = sipDomainOf(s.lookupAccount)
      return [
        { slot: 'inventory', lane, step: makeStep('inventory', preflightInventoryId(s.id), 'preflight', `Take the inventory of ${s.id} (${s.pool})`, { source: s.id, cutoff, purpose: 'preflight', sipDomain }) },
        { slot: 'freeze-inventory', lane, step: makeStep('inventory', frozenInventoryId(s.id), 'cutover', `Freeze the inventory of ${s.id} (what verification expects)`, { source: s.id, cutoff, purpose: 'freeze', sipDomain }) },
      ] as const
    })
  },
  forecast: () => fixedMinutes(2),
  preview: (step) => [{ type: 'sql', store: `source ${step.input.source}`, queries: INVENTORY_QUERIES }],
  async run(step, ctx) {
    const input = step.input
    const sql = await ctx.sql({ kind: 'source', id: input.source })
    const inv = await takeInventory(sql, { cutoff: input.cutoff, sipDomain: input.sipDomain, progress: (d, t) => ctx.progress(d, t, 'queries') })
    const { file, sha256 } = await writeArtifact(ctx, `inventory/${step.id}.json`, inv)
    ctx.log(`${inv.totals.categories} categories, ${inv.totals.rooms} rooms, ${inv.totals.messages} messages since ${input.cutoff ?? 'the beginning'}, ${inv.totals.roles} roles of active principals`)
    return { outputs: { source: input.source, artifact: file, sha256, ...inv.totals } }
  },
})
