import { INVENTORY_QUERIES } from '../sql/queries.js'
import { takeInventory } from '../sql/inventory.js'
import { writeArtifact } from './artifacts.js'
import type { StepKind } from './kind.js'

/** Reads the Persistent Chat store before anything is imported: it should be empty, since
 * Import overwrites same-named items (LYNC.md); what is there is recorded so verification can
 * tell it from what the migration brought. */
export const checkTargetKind: StepKind = {
  kind: 'check-target',
  idempotent: true,
  render: () => [{ type: 'sql', store: 'target', queries: INVENTORY_QUERIES }],
  async run(ctx) {
    const inv = await takeInventory(await ctx.sql({ kind: 'target' }), { cutoff: null, progress: (d, t) => ctx.progress(d, t, 'queries') })
    const { file, sha256 } = await writeArtifact(ctx, `inventory/${ctx.step.id}.json`, inv)
    const warnings = inv.totals.categories + inv.totals.rooms > 0
      ? [`the Persistent Chat store is not empty (${inv.totals.categories} categories, ${inv.totals.rooms} rooms): legacy items of the same name will overwrite them`]
      : []
    return { outputs: { artifact: file, sha256, ...inv.totals }, warnings }
  },
}
