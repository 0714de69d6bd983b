import type { Command } from '../core/command.js'
import { inputOf } from './kind.js'
import type { StepKind } from './kind.js'
import { runCommands } from './run-commands.js'

interface LegacyInput { readonly source: string; readonly servers: readonly string[]; readonly services: readonly string[] }
interface TargetInput { readonly action: 'stop' | 'start'; readonly servers: readonly string[]; readonly services: readonly string[] }

// Legacy Group Chat services are not Lync (Cs) services: plain Windows services on each server.
const legacyCommands = (i: LegacyInput, verb: 'Stop' | 'Start'): Command[] =>
  i.servers.map((server) => ({ cmdlet: `${verb}-Service`, params: [['Name', [...i.services]]], computer: server }))

/** Stops the legacy Group Chat services: the downtime starts here (LYNC.md step 1). */
export const stopLegacyKind: StepKind = {
  kind: 'stop-legacy',
  idempotent: true,
  render: (step) => [{ type: 'commands', commands: legacyCommands(inputOf<LegacyInput>(step), 'Stop') }],
  async run(ctx) {
    await runCommands(ctx, legacyCommands(inputOf<LegacyInput>(ctx.step), 'Stop'))
    return {}
  },
  async undo(ctx) {
    await runCommands(ctx, legacyCommands(inputOf<LegacyInput>(ctx.step), 'Start'))
  },
}

// Stop-/Start-CsWindowsService take one service name and one computer at a time.
const targetCommands = (i: TargetInput, action: 'stop' | 'start'): Command[] =>
  i.servers.flatMap((server) => i.services.map((name): Command => ({
    cmdlet: action === 'stop' ? 'Stop-CsWindowsService' : 'Start-CsWindowsService',
    params: [['Name', name], ['ComputerName', server]],
  })))

/** Stops (before the import) or starts (after it) the Persistent Chat services. */
export const targetServicesKind: StepKind = {
  kind: 'target-services',
  idempotent: true,
  render: (step) => {
    const i = inputOf<TargetInput>(step)
    return [{ type: 'commands', commands: targetCommands(i, i.action) }]
  },
  async run(ctx) {
    const i = inputOf<TargetInput>(ctx.step)
    await runCommands(ctx, targetCommands(i, i.action))
    return {}
  },
  async undo(ctx) {
    const i = inputOf<TargetInput>(ctx.step)
    await runCommands(ctx, targetCommands(i, i.action === 'stop' ? 'start' : 'stop'))
  },
}
