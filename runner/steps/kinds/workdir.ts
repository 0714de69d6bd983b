import type { Command } from '../../core/command.js'
import { stepId } from '../../core/step.js'
import type { StepId } from '../../core/step.js'
import { defineStep, makeStep } from '../define.js'
import { runCommands } from '../run-commands.js'

export type WorkDirInput = { readonly path: string }

/** The step that creates the work folder. */
export function workDirId(): StepId<'workdir'> {
  return stepId('workdir', 'prepare.workdir')
}

const commands = (i: WorkDirInput): Command[] => [{ cmdlet: 'New-Item', params: [['ItemType', 'Directory'], ['Path', i.path], ['Force', { switch: true }]] }]

/** The work folder on the Lync server (export files, reports); -Force makes it idempotent. */
export const workDirKind = defineStep<'workdir', WorkDirInput>({
  kind: 'workdir',
  traits: { idempotent: true },
  fromPlan: (plan) => [{ slot: 'workdir', step: makeStep('workdir', workDirId(), 'prepare', `Create the work folder ${plan.environment.workDir}`, { path: plan.environment.workDir }) }],
  preview: (step) => [{ type: 'commands', commands: commands(step.input) }],
  async run(step, ctx) {
    await runCommands(ctx, step.id, commands(step.input))
    return {}
  },
})
