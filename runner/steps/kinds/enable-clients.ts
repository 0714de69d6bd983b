import type { Command } from '../../core/command.js'
import { stepId } from '../../core/step.js'
import type { StepId } from '../../core/step.js'
import { defineStep, makeStep } from '../define.js'
import { runCommands } from '../run-commands.js'

export type EnableClientsInput = { readonly policy: string }

/** The step that enables Persistent Chat in the clients' policy. */
export function enableClientsId(): StepId<'enable-clients'> {
  return stepId('enable-clients', 'post.enable-clients')
}

const policyCommand = (i: EnableClientsInput, enable: boolean): Command =>
  ({ cmdlet: 'Set-CsPersistentChatPolicy', params: [['Identity', i.policy], ['EnablePersistentChat', { bool: enable }]] })

/** Enables the new clients: a Persistent Chat policy with EnablePersistentChat true (docs/microsoft-facts.md#the-documented-preparation
 * step 13). Rollback turns it off again: before the migration Persistent Chat was not in use. */
export const enableClientsKind = defineStep<'enable-clients', EnableClientsInput>({
  kind: 'enable-clients',
  traits: { idempotent: true },
  fromPlan: (plan) => plan.clients === undefined ? [] : [{
    slot: 'enable-clients',
    step: makeStep('enable-clients', enableClientsId(), 'post', `Enable Persistent Chat in policy ${plan.clients.enablePolicy}`, { policy: plan.clients.enablePolicy }),
  }],
  preview: (step) => [{ type: 'commands', commands: [policyCommand(step.input, true)] }],
  async run(step, ctx) {
    await runCommands(ctx, step.id, [policyCommand(step.input, true)])
    return {}
  },
  async undo(step, ctx) {
    await runCommands(ctx, step.id, [policyCommand(step.input, false)])
  },
})
