import type { Command } from '../../core/command.js'
import { decommissionEntries } from '../decommission.js'
import { defineStep, makeStep } from '../define.js'
import { runCommands } from '../run-commands.js'

export type PowerShellInput = { readonly title: string; readonly script: string }

const commands = (i: PowerShellInput): Command[] => [{ cmdlet: 'Invoke-Command', params: [['ScriptBlock', { scriptBlock: i.script }]] }]

/** The admin's own PowerShell, passed as a script block through the quoting helper like any value.
 * A decommission step whose effect cutover cannot know or undo: once done, rollback refuses. */
export const powershellKind = defineStep<'powershell', PowerShellInput>({
  kind: 'powershell',
  traits: { idempotent: false, irreversible: true },
  fromPlan: (plan) => decommissionEntries(plan, 'powershell', (d, id) =>
    makeStep('powershell', id, 'post', d.title, { title: d.title, script: d.script })),
  preview: (step) => [{ type: 'commands', commands: commands(step.input) }],
  async run(step, ctx) {
    await runCommands(ctx, step.id, commands(step.input))
    return {}
  },
})
