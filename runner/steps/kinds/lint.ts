import { stepId } from '../../core/step.js'
import type { StepId } from '../../core/step.js'
import { lintRulesOf } from '../../plan/room-rules.js'
import type { LintRules } from '../../plan/room-rules.js'
import type { Inventory } from '../../sql/inventory.js'
import { describeLint, lintInventories } from '../../sql/lint.js'
import { inventories, readArtifact, writeArtifact } from '../artifacts.js'
import { defineStep, makeStep } from '../define.js'
import { checkTargetId } from './check-target.js'
import { preflightInventoryId } from './inventory.js'

export type LintInput = { readonly inventorySteps: readonly StepId<'inventory'>[]; readonly targetStep: StepId<'check-target'>; readonly rules: LintRules }

/** The preflight lint of the inventories. */
export function lintId(): StepId<'lint'> {
  return stepId('lint', 'preflight.lint')
}

/** The preflight lint: what the inventories say will go wrong, before the window. Errors stop
 * the run here, long before the downtime; warnings are recorded and reported. */
export const lintKind = defineStep<'lint', LintInput>({
  kind: 'lint',
  traits: { idempotent: true },
  fromPlan: (plan) => [{
    slot: 'lint',
    step: makeStep('lint', lintId(), 'preflight', 'Check the inventories for what Import will stumble on', {
      inventorySteps: plan.sources.map((s) => preflightInventoryId(s.id)), targetStep: checkTargetId(), rules: lintRulesOf(plan),
    }),
  }],
  preview: (step) => [{ type: 'note', text: `checks the inventories of ${step.input.inventorySteps.join(', ')} and the target for what Import will stumble on (names over 256 characters, invitations, root managers, federated and unprovisioned members, disabled rooms, access-control entries, a non-empty target, mappings naming nothing, unmapped rooms, names an import would overwrite or a rename would find taken, source after source, categories -Scope cannot tell apart)` }],
  async run(step, ctx) {
    const { inventorySteps, targetStep, rules } = step.input
    const findings = lintInventories(rules, await inventories(ctx, step.id, inventorySteps), await readArtifact<Inventory>(ctx, step.id, targetStep))
    const { file, sha256 } = await writeArtifact(ctx, `lint/${step.id}.json`, findings)
    const errors = findings.filter((f) => f.severity === 'error')
    for (const f of findings) ctx.log(`${f.severity}: ${describeLint(f)}`)
    if (errors.length > 0) throw new Error(`the preflight found ${errors.length} problem(s) to fix before the cutover: ${errors.map(describeLint).join(' | ')}`)
    return { outputs: { artifact: file, sha256, errors: 0, warnings: findings.length }, warnings: findings.map(describeLint) }
  },
})
