import type { Command } from '../core/command.js'
import { inputOf } from './kind.js'
import type { StepKind } from './kind.js'
import { runCommands } from './run-commands.js'

interface Input { readonly from: string; readonly to: string; readonly shell: string }

/** A path as a literal inside a wildcard pattern, as [WildcardPattern]::Escape writes it: -Path
 * reads `[` `]` as a character range, so `\\fs01\Chat[2010]` would otherwise match nothing. */
export function escapeWildcard(path: string): string {
  return path.replace(/[`[\]*?]/g, (c) => `\`${c}`)
}

function copyCommand(i: Input): Command {
  const sep = i.shell === 'lab' ? '/' : '\\'
  // -Path takes a wildcard (the trailing `*` copies what is inside the folder, not the folder).
  const contents = `${escapeWildcard(i.from.replace(/[\\/]+$/, ''))}${sep}*`
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
