import type { Command } from '../core/command.js'
import { inputOf } from './kind.js'
import type { Step, StepKind } from './kind.js'
import { runCommands } from './run-commands.js'

/** A step that is exactly a fixed list of commands built from its input. */
function commandStep(kind: string, idempotent: boolean, build: (step: Step) => Command[]): StepKind {
  return {
    kind,
    idempotent,
    render: (step) => [{ type: 'commands', commands: build(step) }],
    async run(ctx) {
      await runCommands(ctx, build(ctx.step))
      return {}
    },
  }
}

/** The work folder on the Lync server (export files, reports); -Force makes it idempotent. */
export const workDirKind = commandStep('workdir', true, (step) => [
  { cmdlet: 'New-Item', params: [['ItemType', 'Directory'], ['Path', inputOf<{ path: string }>(step).path], ['Force', { switch: true }]] },
])

const policyCommand = (step: Step, enable: boolean): Command =>
  ({ cmdlet: 'Set-CsPersistentChatPolicy', params: [['Identity', inputOf<{ policy: string }>(step).policy], ['EnablePersistentChat', { bool: enable }]] })

/** Enables the new clients: a Persistent Chat policy with EnablePersistentChat true (LYNC.md
 * step 13). Rollback turns it off again: before the migration Persistent Chat was not in use. */
export const enableClientsKind: StepKind = {
  ...commandStep('enable-clients', true, (step) => [policyCommand(step, true)]),
  async undo(ctx) {
    await runCommands(ctx, [policyCommand(ctx.step, false)])
  },
}

/** Removes the legacy trusted application pool (and its trusted applications), then publishes the
 * topology (LYNC.md step 12). Not idempotent: a second removal fails on a pool that is gone. */
export const removeTrustedApplicationKind = commandStep('remove-trusted-application', false, (step) => [
  { cmdlet: 'Remove-CsTrustedApplicationPool', params: [['Identity', inputOf<{ pool: string }>(step).pool], ['Force', { switch: true }]] },
  { cmdlet: 'Enable-CsTopology', params: [] },
])

/** The admin's own PowerShell, passed as a script block through the quoting helper like any value. */
export const powershellKind = commandStep('powershell', false, (step) => [
  { cmdlet: 'Invoke-Command', params: [['ScriptBlock', { scriptBlock: inputOf<{ script: string }>(step).script }]] },
])

/** A step a person does; the run pauses until `cutover approve`. */
export const manualKind: StepKind = {
  kind: 'manual',
  idempotent: false,
  manual: true,
  render: (step) => [{ type: 'manual', instructions: inputOf<{ instructions: string }>(step).instructions }],
  run: () => Promise.reject(new Error('a manual step is approved, never run')),
}

/**
 * Uninstalling Group Chat is an uninstall on each legacy server (Programs and Features), which
 * no documented cmdlet does: cutover tells the admin exactly what to do and waits for approval.
 */
export const uninstallGroupChatKind: StepKind = {
  kind: 'uninstall-groupchat',
  idempotent: false,
  manual: true,
  render: (step) => [{ type: 'manual', instructions: uninstallInstructions(inputOf<{ servers: readonly string[] }>(step).servers) }],
  run: () => Promise.reject(new Error('a manual step is approved, never run')),
}

export function uninstallInstructions(servers: readonly string[]): string {
  return `On ${servers.join(', ')}: uninstall Lync Server 2010 Group Chat (or OCS 2007 R2 Group Chat) in Programs and Features, then confirm with cutover approve.`
}
