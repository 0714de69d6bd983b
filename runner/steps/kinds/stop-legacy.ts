import type { Command } from '../../core/command.js'
import { stepId } from '../../core/step.js'
import type { StepId } from '../../core/step.js'
import { legacyServices } from '../../plan/defaults.js'
import { defineStep, makeStep } from '../define.js'
import { fixedMinutes } from '../forecasts.js'
import { runCommands } from '../run-commands.js'

export type StopLegacyInput = { readonly source: string; readonly servers: readonly string[]; readonly services: readonly string[] }

/** The step that stops a source's Group Chat services: where its downtime starts. */
export function stopLegacyId(source: string): StepId<'stop-legacy'> {
  return stepId('stop-legacy', `cutover.stop-legacy.${source}`)
}

// Legacy Group Chat services are not Lync (Cs) services: plain Windows services on each server.
const legacyCommands = (i: StopLegacyInput, verb: 'Stop' | 'Start'): Command[] =>
  i.servers.map((server) => ({ cmdlet: `${verb}-Service`, params: [['Name', [...i.services]]], computer: server }))

/** Stops the legacy Group Chat services: the downtime starts here (docs/microsoft-facts.md#the-documented-order-of-the-cutover, step 1). */
export const stopLegacyKind = defineStep<'stop-legacy', StopLegacyInput>({
  kind: 'stop-legacy',
  traits: { idempotent: true },
  fromPlan: (plan) => plan.sources.map((s, lane) => ({
    slot: 'stop-legacy', lane,
    step: makeStep('stop-legacy', stopLegacyId(s.id), 'cutover', `Stop Group Chat on ${s.servers.join(', ')} (downtime starts)`, { source: s.id, servers: [...s.servers], services: [...legacyServices(s)] }),
  })),
  forecast: () => fixedMinutes(2),
  preview: (step) => [{ type: 'commands', commands: legacyCommands(step.input, 'Stop') }],
  async run(step, ctx) {
    await runCommands(ctx, step.id, legacyCommands(step.input, 'Stop'))
    return {}
  },
  async undo(step, ctx) {
    await runCommands(ctx, step.id, legacyCommands(step.input, 'Start'))
  },
})
