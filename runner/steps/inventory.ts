import { INVENTORY_QUERIES } from '../sql/queries.js'
import { takeInventory } from '../sql/inventory.js'
import { writeArtifact } from './artifacts.js'
import { inputOf } from './kind.js'
import type { StepKind } from './kind.js'

interface Input { readonly source: string; readonly cutoff: string | null; readonly purpose: 'preflight' | 'freeze'; readonly sipDomain: string }

/** Reads a legacy store's categories, rooms, roles and messages since the cutoff. The frozen one
 * (taken once the services are stopped) is what verification expects to find afterwards. */
export const inventoryKind: StepKind = {
  kind: 'inventory',
  idempotent: true,
  render: (step) => [{ type: 'sql', store: `source ${inputOf<Input>(step).source}`, queries: INVENTORY_QUERIES }],
  async run(ctx) {
    const input = inputOf<Input>(ctx.step)
    const sql = await ctx.sql({ kind: 'source', id: input.source })
    const inv = await takeInventory(sql, { cutoff: input.cutoff, sipDomain: input.sipDomain, progress: (d, t) => ctx.progress(d, t, 'queries') })
    const { file, sha256 } = await writeArtifact(ctx, `inventory/${ctx.step.id}.json`, inv)
    ctx.log(`${inv.totals.categories} categories, ${inv.totals.rooms} rooms, ${inv.totals.messages} messages since ${input.cutoff ?? 'the beginning'}, ${inv.totals.roles} roles of active principals`)
    return { outputs: { source: input.source, artifact: file, sha256, ...inv.totals } }
  },
}
