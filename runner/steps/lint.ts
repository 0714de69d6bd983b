import type { Inventory } from '../sql/inventory.js'
import { describeLint, lintInventories } from '../sql/lint.js'
import { inventories, readArtifact, writeArtifact } from './artifacts.js'
import { inputOf } from './kind.js'
import type { StepKind } from './kind.js'

interface Input { readonly inventorySteps: readonly string[]; readonly targetStep: string }

/** The preflight lint: what the inventories say will go wrong, before the window. Errors stop
 * the run here, long before the downtime; warnings are recorded and reported. */
export const lintKind: StepKind = {
  kind: 'lint',
  idempotent: true,
  render: (step) => [{ type: 'note', text: `checks the inventories of ${inputOf<Input>(step).inventorySteps.join(', ')} and the target for what Import will stumble on (names over 256 characters, invitations, root managers, federated and unprovisioned members, disabled rooms, access-control entries, a non-empty target, mappings naming nothing, unmapped rooms)` }],
  async run(ctx) {
    const { inventorySteps, targetStep } = inputOf<Input>(ctx.step)
    const findings = lintInventories(ctx.plan, await inventories(ctx, inventorySteps), await readArtifact<Inventory>(ctx, targetStep))
    const { file, sha256 } = await writeArtifact(ctx, `lint/${ctx.step.id}.json`, findings)
    const errors = findings.filter((f) => f.severity === 'error')
    for (const f of findings) ctx.log(`${f.severity}: ${describeLint(f)}`)
    if (errors.length > 0) throw new Error(`the preflight found ${errors.length} problem(s) to fix before the cutover: ${errors.map(describeLint).join(' | ')}`)
    return { outputs: { artifact: file, sha256, errors: 0, warnings: findings.length }, warnings: findings.map(describeLint) }
  },
}
