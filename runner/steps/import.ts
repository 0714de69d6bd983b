import type { Command } from '../core/command.js'
import { outputsOf } from '../state/records.js'
import { backupInfoOf } from '../core/backups.js'
import type { BackupInfo } from '../core/backups.js'
import { inputOf } from './kind.js'
import type { RunContext, StepKind } from './kind.js'
import { runCommands, warningsOf } from './run-commands.js'

interface Input {
  readonly source: string
  readonly dbInstance: string
  readonly file: string
  readonly report: string
  readonly whatIf: boolean
  readonly exportStep: string
  readonly backupStep?: string
}

function importCommand(i: Input): Command {
  return {
    cmdlet: 'Import-CsPersistentChatData',
    params: [['DBInstance', i.dbInstance], ['FileName', i.file], ['Report', i.report], ...(i.whatIf ? [['WhatIf', { switch: true }] as const] : [])],
  }
}

function backupOf(ctx: RunContext, stepId: string | undefined): BackupInfo {
  const info = backupInfoOf(stepId === undefined ? undefined : outputsOf(ctx.records[stepId]))
  if (info === undefined) throw new Error(`${ctx.step.id} cannot be recovered: the backup step ${stepId ?? '(none)'} has no result`)
  return info
}

/**
 * Import-CsPersistentChatData, with -WhatIf first (its errors stop the run, its warnings are
 * recorded) and then for real. The real import has no replace switch and must never run twice on
 * top of itself: an interrupted or failed one is recovered by restoring the target backup taken
 * just before it, then importing again (DESIGN.md).
 */
export const importKind: StepKind = {
  kind: 'import',
  idempotent: false,
  render: (step) => [{ type: 'commands', commands: [importCommand(inputOf<Input>(step))] }],
  async run(ctx) {
    const i = inputOf<Input>(ctx.step)
    if (ctx.records[i.exportStep]?.status !== 'done') throw new Error(`the export ${i.exportStep} has not completed`)
    const results = await runCommands(ctx, [importCommand(i)])
    const data = results[0]?.data ?? {}
    const errors = Array.isArray(data.errors) ? data.errors.map(String) : []
    if (errors.length > 0) {
      throw new Error(`Import -WhatIf found ${errors.length} error(s); fix them in the legacy Group Chat Admin Tool (or the plan) and export again: ${errors.slice(0, 3).join(' | ')}`)
    }
    const counts = Object.fromEntries(Object.entries(data).filter(([, v]) => typeof v === 'number')) as Record<string, number>
    return { outputs: { whatIf: i.whatIf, ...counts }, warnings: warningsOf(results) }
  },
  async recover(ctx) {
    const i = inputOf<Input>(ctx.step)
    if (i.whatIf) return // -WhatIf writes nothing
    const backup = backupOf(ctx, i.backupStep)
    ctx.log(`restoring the Persistent Chat store from ${backup.file} (taken before this import)`)
    await ctx.backups.restore({ kind: 'target' }, backup)
  },
  async undo(ctx) {
    const i = inputOf<Input>(ctx.step)
    if (i.whatIf) return
    await ctx.backups.restore({ kind: 'target' }, backupOf(ctx, i.backupStep))
  },
}
