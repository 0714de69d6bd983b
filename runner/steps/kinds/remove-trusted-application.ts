import type { Command } from '../../core/command.js'
import { decommissionEntries } from '../decommission.js'
import { defineStep, makeStep } from '../define.js'
import { runCommands } from '../run-commands.js'

export type RemoveTrustedApplicationInput = { readonly pool: string }

const commands = (i: RemoveTrustedApplicationInput): Command[] => [
  { cmdlet: 'Remove-CsTrustedApplicationPool', params: [['Identity', i.pool], ['Force', { switch: true }]] },
  { cmdlet: 'Enable-CsTopology', params: [] },
]

/** Removes the legacy trusted application pool (and its trusted applications), then publishes the
 * topology (docs/microsoft-facts.md#the-documented-order-of-the-cutover, step 12). Not idempotent: a second removal fails on a pool that is gone; and
 * irreversible: legacy Group Chat cannot run without its pool. */
export const removeTrustedApplicationKind = defineStep<'remove-trusted-application', RemoveTrustedApplicationInput>({
  kind: 'remove-trusted-application',
  traits: { idempotent: false, irreversible: true },
  fromPlan: (plan) => decommissionEntries(plan, 'remove-trusted-application', (d, id) =>
    makeStep('remove-trusted-application', id, 'post', `Remove the trusted application pool ${d.pool} and publish the topology`, { pool: d.pool })),
  preview: (step) => [{ type: 'commands', commands: commands(step.input) }],
  async run(step, ctx) {
    await runCommands(ctx, step.id, commands(step.input))
    return {}
  },
})
