import type { Command } from '../../core/command.js'
import { stepId } from '../../core/step.js'
import type { StepId } from '../../core/step.js'
import { targetServices } from '../../plan/defaults.js'
import { defineStep, makeStep } from '../define.js'
import { fixedMinutes } from '../forecasts.js'
import { runCommands } from '../run-commands.js'

export type TargetServicesInput = { readonly action: 'stop' | 'start'; readonly servers: readonly string[]; readonly services: readonly string[] }

/** The step that stops Persistent Chat before the first import; with `source`, before that
 * (later) source's import. */
export function stopTargetId(source?: string): StepId<'target-services'> {
  return stepId('target-services', source === undefined ? 'cutover.stop-target' : `cutover.stop-target.${source}`)
}

/** The step that starts Persistent Chat again: where the downtime ends. With `source`, the start
 * after that source's import, for its mappings, when another source is imported after it. */
export function startTargetId(source?: string): StepId<'target-services'> {
  return stepId('target-services', source === undefined ? 'cutover.start-target' : `cutover.start-target.${source}`)
}

// Stop-/Start-CsWindowsService take one service name and one computer at a time.
const targetCommands = (i: TargetServicesInput, action: 'stop' | 'start'): Command[] =>
  i.servers.flatMap((server) => i.services.map((name): Command => ({
    cmdlet: action === 'stop' ? 'Stop-CsWindowsService' : 'Start-CsWindowsService',
    params: [['Name', name], ['ComputerName', server]],
  })))

/** Stops (before an import) or starts (after one) the Persistent Chat services. */
export const targetServicesKind = defineStep<'target-services', TargetServicesInput>({
  kind: 'target-services',
  traits: { idempotent: true },
  fromPlan(plan) {
    const input = (action: 'stop' | 'start'): TargetServicesInput => ({ action, servers: [...plan.target.servers], services: [...targetServices(plan.target)] })
    const on = plan.target.servers.join(', ')
    const last = plan.sources.length - 1
    return [
      // Stopped after the first source's export, before anything is imported. With several
      // sources, started again after each import but the last, for that source's mappings
      // (steps/order.ts), and stopped before the next import.
      ...plan.sources.map((s, lane) => lane === 0
        ? { slot: 'stop-target' as const, lane, step: makeStep('target-services', stopTargetId(), 'cutover', `Stop Persistent Chat on ${on}`, input('stop')) }
        : { slot: 'stop-target' as const, lane, step: makeStep('target-services', stopTargetId(s.id), 'cutover', `Stop Persistent Chat on ${on} before importing ${s.id}`, input('stop')) }),
      ...plan.sources.slice(0, last).map((s, lane) => ({
        slot: 'start-target' as const, lane, step: makeStep('target-services', startTargetId(s.id), 'cutover', `Start Persistent Chat on ${on} for the mappings of ${s.id}`, input('start')),
      })),
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
