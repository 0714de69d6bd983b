import type { Command } from '../../core/command.js'
import { stepId } from '../../core/step.js'
import type { StepId } from '../../core/step.js'
import { defineStep, makeStep } from '../define.js'
import { fixedMinutes } from '../forecasts.js'
import { runCommands } from '../run-commands.js'

/** `contents`: the legacy folder's contents as the wildcard Copy-Item -Path takes, written for
 * the machine that runs it (platform.folderContents). */
export type FileStoreInput = { readonly from: string; readonly to: string; readonly contents: string }

/** The copy of a source's file store. */
export function fileStoreId(source: string): StepId<'filestore'> {
  return stepId('filestore', `cutover.filestore.${source}`)
}

// -Path takes a wildcard (the trailing `*` copies what is inside the folder, not the folder).
const copyCommand = (i: FileStoreInput): Command =>
  ({ cmdlet: 'Copy-Item', params: [['Path', i.contents], ['Destination', i.to], ['Recurse', { switch: true }], ['Force', { switch: true }]] })

/** Files are not part of the export (docs/microsoft-facts.md#the-documented-preparation): the legacy file store folder is copied to the
 * Persistent Chat file store. Copying again overwrites with the same files. */
export const fileStoreKind = defineStep<'filestore', FileStoreInput>({
  kind: 'filestore',
  traits: { idempotent: true },
  fromPlan(plan, platform) {
    const to = plan.target.fileStore
    if (to === undefined) return []
    return plan.sources.flatMap((s, lane) => s.fileStore === undefined ? [] : [{
      slot: 'filestore', lane,
      step: makeStep('filestore', fileStoreId(s.id), 'cutover', `Copy the file store of ${s.id}`, { from: s.fileStore, to, contents: platform.folderContents(s.fileStore) }),
    } as const])
  },
  forecast: () => fixedMinutes(20),
  preview: (step) => [{ type: 'commands', commands: [copyCommand(step.input)] }],
  async run(step, ctx) {
    await runCommands(ctx, step.id, [copyCommand(step.input)])
    return {}
  },
})
