import type { Command } from '../../core/command.js'
import { stepId } from '../../core/step.js'
import type { StepId } from '../../core/step.js'
import { defineStep, makeStep } from '../define.js'
import type { RunContext } from '../define.js'
import { fixedMinutes } from '../forecasts.js'
import { runCommands } from '../run-commands.js'

export type EndpointInput = { readonly sipAddress: string; readonly pool: string; readonly displayName: string }

/** The step that creates the legacy-client endpoint. */
export function endpointId(): StepId<'endpoint'> {
  return stepId('endpoint', 'cutover.endpoint')
}

const newEndpoint = (i: EndpointInput): Command => ({
  cmdlet: 'New-CsPersistentChatEndpoint',
  params: [['SipAddress', i.sipAddress], ['PersistentChatPoolFqdn', i.pool], ['DisplayName', i.displayName]],
})

async function endpointExists(ctx: RunContext, id: StepId, sip: string): Promise<boolean> {
  const [r] = await runCommands(ctx, id, [{ cmdlet: 'Get-CsPersistentChatEndpoint', params: [] }])
  const list = r?.data?.endpoints
  return Array.isArray(list) && list.some((e: unknown) => typeof e === 'object' && e !== null && String((e as Record<string, unknown>).SipAddress).toLowerCase() === sip.toLowerCase())
}

/** The Persistent Chat endpoint with the legacy lookup URI, so legacy clients keep connecting
 * (docs/microsoft-facts.md#the-documented-order-of-the-cutover). */
export const endpointKind = defineStep<'endpoint', EndpointInput>({
  kind: 'endpoint',
  traits: { idempotent: false },
  fromPlan: (plan) => plan.legacyClients === undefined ? [] : [{
    slot: 'endpoint',
    step: makeStep('endpoint', endpointId(), 'cutover', `Create the legacy-client endpoint ${plan.legacyClients.endpoint}`, { sipAddress: plan.legacyClients.endpoint, pool: plan.target.pool, displayName: plan.legacyClients.displayName }),
  }],
  forecast: () => fixedMinutes(1),
  preview: (step) => [{ type: 'commands', commands: [newEndpoint(step.input)] }],
  async run(step, ctx) {
    await runCommands(ctx, step.id, [newEndpoint(step.input)])
    return {}
  },
  check: (step, ctx) => endpointExists(ctx, step.id, step.input.sipAddress),
  async undo(step, ctx) {
    const sip = step.input.sipAddress
    if (await endpointExists(ctx, step.id, sip)) await runCommands(ctx, step.id, [{ cmdlet: 'Remove-CsPersistentChatEndpoint', params: [['Identity', sip]] }])
  },
})
