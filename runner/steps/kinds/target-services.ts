import type { Command } from '../../core/command.js'
import { stepId } from '../../core/step.js'
import type { StepId } from '../../core/step.js'
import { targetServices } from '../../plan/defaults.js'
import { defineStep, makeStep } from '../define.js'
import { fixedMinutes } from '../forecasts.js'
import { runCommands } from '../run-commands.js'

export type TargetServicesInput = { readonly action: 'stop' | 'start'; readonly servers: readonly string[]; readonly services: readonly string[] }

/** The step that stops Persistent Chat before the first import. */
export function stopTargetId(): StepId<'target-services'> {
  return stepId('target-services', 'cutover.stop-target')
}

/** The step that starts Persistent Chat again: where the downtime ends. */
export function startTargetId(): StepId<'target-services'> {
  return stepId('target-services', 'cutover.start-target')
}

// Stop-/Start-CsWindowsService take one service name and one computer at a time.
const targetCommands = (i: TargetServicesInput, action: 'stop' | 'start'): Command[] =>
  i.servers.flatMap((server) => i.services.map((name): Command => ({
    cmdlet: action === 'stop' ? 'Stop-CsWindowsService' : 'Start-CsWindowsService',
    params: [['Name', name], ['ComputerName', server]],
  })))

/** Stops (before the import) or starts (after it) the Persistent Chat services. */
export const targetServicesKind = defineStep<'target-services', TargetServicesInput>({
  kind: 'target-services',
  traits: { idempotent: true },
  fromPlan(plan) {
    const input = (action: 'stop' | 'start'): TargetServicesInput => ({ action, servers: [...plan.target.servers], services: [...targetServices(plan.target)] })
    const on = plan.target.servers.join(', ')
    return [
      // Stopped once, after the first source's export: before anything is imported.
      { slot: 'stop-target', lane: 0, step: makeStep('target-services', stopTargetId(), 'cutover', `Stop Persistent Chat on ${on}`, input('stop')) },
      { slot: 'start-target', step: makeStep('target-services', startTargetId(), 'cutover', `Start Persistent Chat on ${on}`, input('start')) },
    ]
  },
  forecast: () => fixedMinutes(2),
  preview: (step) => [{ type: 'commands', commands: targetCommands(step.input, step.input.action) }],
  async run(step, ctx) {
    await runCommands(ctx, step.id, targetCommands(step.input, step.input.action))
    return {}
  },
  async undo(step, ctx) {
    await runCommands(ctx, step.id, targetCommands(step.input, step.input.action === 'stop' ? 'start' : 'stop'))
  },
})
