import type { BackupInfo } from '../../core/backups.js'
import { backupInfoOf } from '../../core/backups.js'
import type { Command } from '../../core/command.js'
import { stepId } from '../../core/step.js'
import type { StepId } from '../../core/step.js'
import { defineStep, makeStep } from '../define.js'
import type { RunContext } from '../define.js'
import { messageMinutes } from '../forecasts.js'
import { runCommands, warningsOf } from '../run-commands.js'
import { targetBackupId } from './backup.js'
import { exportFileName, exportId } from './export.js'
import { outputsOf } from '../../state/records.js'
import { importedRooms } from '../imported.js'

type ImportOf = {
  readonly source: string
  readonly dbInstance: string
  readonly file: string
  readonly report: string
  readonly exportStep: StepId<'export'>
}
/** The trial import writes nothing; the real one names the backup that undoes it. */
export type ImportInput = (ImportOf & { readonly whatIf: true }) | (ImportOf & { readonly whatIf: false; readonly backupStep: StepId<'backup'> })

/** The trial import of a source (-WhatIf). */
export function importWhatIfId(source: string): StepId<'import'> {
  return stepId('import', `cutover.import-whatif.${source}`)
}

/** The import of a source. */
export function importId(source: string): StepId<'import'> {
  return stepId('import', `cutover.import.${source}`)
}

function importCommand(i: ImportInput): Command {
  return {
    cmdlet: 'Import-CsPersistentChatData',
    params: [['DBInstance', i.dbInstance], ['FileName', i.file], ['Report', i.report], ...(i.whatIf ? [['WhatIf', { switch: true }] as const] : [])],
  }
}

function backupOf(ctx: RunContext, id: StepId<'import'>, backupStep: StepId<'backup'>): BackupInfo {
  const info = backupInfoOf(outputsOf(ctx.record(backupStep)))
  if (info === undefined) throw new Error(`${id} cannot be recovered: the backup step ${backupStep} has no result`)
  return info
}

/**
 * Import-CsPersistentChatData, with -WhatIf first (its errors stop the run, its warnings are
 * recorded) and then for real. The real import has no replace switch and must never run twice on
 * top of itself: an interrupted or failed one is recovered by restoring the target backup taken
 * just before it, then importing again (docs/architecture.md#resume).
 */
export const importKind = defineStep<'import', ImportInput>({
  kind: 'import',
  traits: { idempotent: false },
  fromPlan: (plan, platform) => plan.sources.flatMap((s, lane) => {
    const work = (file: string) => platform.joinPath(plan.environment.workDir, file)
    const base = { source: s.id, dbInstance: plan.target.database.instance, file: work(exportFileName(s.id)), exportStep: exportId(s.id) }
    return [
      { slot: 'import-whatif', lane, step: makeStep('import', importWhatIfId(s.id), 'cutover', `Import ${s.id} with -WhatIf (errors stop the run)`, { ...base, whatIf: true, report: work(`import-whatif-${s.id}.html`) }) },
      { slot: 'import', lane, step: makeStep('import', importId(s.id), 'cutover', `Import ${s.id} into ${plan.target.pool}`, { ...base, whatIf: false, report: work(`import-${s.id}.html`), backupStep: targetBackupId(s.id) }) },
    ] as const
  }),
  forecast: (step, known) => messageMinutes(5, 400, known.inventory(step.input.source)),
  preview: (step) => [{ type: 'commands', commands: [importCommand(step.input)] }],
  async run(step, ctx) {
    const i = step.input
    if (ctx.record(i.exportStep)?.status !== 'done') throw new Error(`the export ${i.exportStep} has not completed`)
    if (!i.whatIf) {
      const held = await importedRooms(ctx, i.source)
      if (held > 0) {
        throw new Error(
          `${step.id} refused: the Persistent Chat store already holds ${held} room(s) of ${i.source} with their messages, so this source was imported already; ` +
          'importing again would add every message a second time. Check cutover status (was the state lost? cutover repair rebuilds it from the journal); ' +
          'to import again on purpose, restore the backup taken before the first import first',
        )
      }
    }
    const results = await runCommands(ctx, step.id, [importCommand(i)])
    const data = results[0]?.data ?? {}
    const errors = Array.isArray(data.errors) ? data.errors.map(String) : []
    if (errors.length > 0) {
      throw new Error(`Import -WhatIf found ${errors.length} error(s); fix them in the legacy Group Chat Admin Tool (or the plan) and export again: ${errors.slice(0, 3).join(' | ')}`)
    }
    const counts = Object.fromEntries(Object.entries(data).filter(([, v]) => typeof v === 'number')) as Record<string, number>
    return { outputs: { whatIf: i.whatIf, ...counts }, warnings: warningsOf(results) }
  },
  async recover(step, ctx) {
    const i = step.input
    if (i.whatIf) return // -WhatIf writes nothing
    const backup = backupOf(ctx, step.id, i.backupStep)
    ctx.log(`restoring the Persistent Chat store from ${backup.file} (taken before this import)`)
    await ctx.backups.restore({ kind: 'target' }, backup)
  },
  async undo(step, ctx) {
    const i = step.input
    if (i.whatIf) return
    await ctx.backups.restore({ kind: 'target' }, backupOf(ctx, step.id, i.backupStep))
  },
})
