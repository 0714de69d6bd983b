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
import { ApprovalNeededError } from '../../core/errors.js'
import type { ImportWarningsPolicy } from '../../plan/types.js'
import { writeArtifact } from '../artifacts.js'
import { mergeFindings, reportFindings } from '../import-report.js'
import { importedRooms } from '../imported.js'

type ImportOf = {
  readonly source: string
  readonly dbInstance: string
  readonly file: string
  readonly report: string
  readonly exportStep: StepId<'export'>
}
/** The trial import writes nothing, and says what its warnings do (rooms.importWarnings); the
 * real one names the backup that undoes it. */
export type ImportInput = (ImportOf & { readonly whatIf: true; readonly warnings: ImportWarningsPolicy }) | (ImportOf & { readonly whatIf: false; readonly backupStep: StepId<'backup'> })

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
      { slot: 'import-whatif', lane, step: makeStep('import', importWhatIfId(s.id), 'cutover', `Import ${s.id} with -WhatIf (errors stop the run${plan.rooms.importWarnings === 'stop' ? ', warnings wait for an approval' : ''})`, { ...base, whatIf: true, warnings: plan.rooms.importWarnings, report: work(`import-whatif-${s.id}.html`) }) },
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
    const streamed = Array.isArray(data.errors) ? data.errors.map(String) : []
    // The -Report HTML (PowerShell host only: the script reads it back) is the second source.
    const report = typeof data.reportHtml === 'string' ? reportFindings(data.reportHtml) : undefined
    const errors = mergeFindings(streamed, report?.errors ?? [])
    if (i.whatIf && report !== undefined) ctx.log(report.recognised ? `-Report ${i.report}: ${report.errors.length} error(s), ${report.warnings.length} warning(s)` : `-Report ${i.report}: no Errors or Warnings section cutover recognises`)
    if (typeof data.reportError === 'string') ctx.log(`-Report ${i.report}: ${data.reportError}`)
    if (errors.length > 0) {
      throw new Error(`Import -WhatIf found ${errors.length} error(s); fix them in the legacy Group Chat Admin Tool (or the plan) and export again: ${errors.slice(0, 3).join(' | ')}`)
    }
    const counts = Object.fromEntries(Object.entries(data).filter(([, v]) => typeof v === 'number')) as Record<string, number>
    const unread = report !== undefined && !report.recognised ? [`cutover could not read the findings of the -Report HTML ${i.report} (its layout is not documented): read it yourself`] : []
    const warnings = i.whatIf ? mergeFindings(warningsOf(results), [...(report?.warnings ?? []), ...unread]) : warningsOf(results)
    if (i.whatIf && warnings.length > 0) {
      // Microsoft says to fix the warnings too: they go on only by a person's or the plan's decision.
      const { file } = await writeArtifact(ctx, `import-whatif/${step.id}.json`, { step: step.id, report: i.report, warnings, policy: i.warnings })
      if (i.warnings === 'stop') {
        for (const w of warnings) ctx.log(`warning: ${w}`)
        throw new ApprovalNeededError(`Import -WhatIf of ${i.source} reported ${warnings.length} warning(s) (all in ${file}, and in the report ${i.report}): ${warnings.slice(0, 5).join(' | ')}${warnings.length > 5 ? ' | ...' : ''}. Fix them in the legacy Group Chat Admin Tool and export again, or accept them: approve this step, or set rooms.importWarnings: accept in the plan`)
      }
      ctx.log(`${warnings.length} warning(s) accepted by the plan (rooms.importWarnings: accept); listed in ${file}`)
    }
    return { outputs: { whatIf: i.whatIf, ...counts }, warnings }
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
