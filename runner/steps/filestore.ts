import type { Command } from '../hosts/command.js'
import { inputOf } from './kind.js'
import type { StepKind } from './kind.js'
import { runCommands } from './run-commands.js'

interface Input { readonly from: string; readonly to: string; readonly shell: string }

function copyCommand(i: Input): Command {
  const sep = i.shell === 'lab' ? '/' : '\\'
  const contents = `${i.from.replace(/[\\/]+$/, '')}${sep}*`
  return { cmdlet: 'Copy-Item', params: [['Path', contents], ['Destination', i.to], ['Recurse', { switch: true }], ['Force', { switch: true }]] }
}

/** Files are not part of the export (LYNC.md): the legacy file store folder is copied to the
 * Persistent Chat file store. Copying again overwrites with the same files. */
export const fileStoreKind: StepKind = {
  kind: 'filestore',
  idempotent: true,
  render: (step) => [{ type: 'commands', commands: [copyCommand(inputOf<Input>(step))] }],
  async run(ctx) {
    await runCommands(ctx, [copyCommand(inputOf<Input>(ctx.step))])
    return {}
  },
}
