import type { Command } from '../../core/command.js'
import { escapeWildcard } from '../../core/wildcard.js'
import { stepId } from '../../core/step.js'
import type { StepId } from '../../core/step.js'
import { cutoffInstant } from '../../plan/cutoff.js'
import { isWithin, splitPath } from '../../plan/names.js'
import type { Inventory } from '../../sql/inventory.js'
import { readArtifact } from '../artifacts.js'
import { defineStep, makeStep } from '../define.js'
import type { RunContext } from '../define.js'
import { messageMinutes } from '../forecasts.js'
import { runCommands, warningsOf } from '../run-commands.js'
import { checkTargetId } from './check-target.js'
import { frozenInventoryId } from './inventory.js'

export type ExportInput = {
  readonly source: string
  readonly dbInstance: string
  readonly dbName: string
  readonly file: string
  readonly report: string
  readonly startDate: string | null
  readonly excludeCategories: readonly (readonly string[])[]
  readonly inventoryStep: StepId<'inventory'>
}

/** The export of a source (Export-CsPersistentChatData). */
export function exportId(source: string): StepId<'export'> {
  return stepId('export', `cutover.export.${source}`)
}

/** The export file of a source, in the work folder: the export writes it, the import reads it. */
export function exportFileName(source: string): string {
  return `export-${source}.zip`
}

/** The categories to export when some are left out: -Scope lists the others by name. */
export function scopeOf(inv: Inventory, excluded: readonly (readonly string[])[]): string[] {
  const names = inv.categories.filter((c) => !excluded.some((x) => isWithin(c.path, x))).map((c) => c.path[c.path.length - 1] ?? '')
  return [...new Set(names)]
}

function exportCommand(i: ExportInput, scope: readonly string[] | undefined): Command {
  return {
    cmdlet: 'Export-CsPersistentChatData',
    params: [
      ['DBInstance', i.dbInstance],
      ['DBName', i.dbName],
      ['FileName', i.file],
      ...(i.startDate === null ? [] : [['StartDate', { date: i.startDate }] as const]),
      ...(scope === undefined ? [] : [['Scope', scope] as const]),
      ['Report', i.report],
    ],
  }
}

/**
 * Removes a file left by an earlier attempt, if there is one: Microsoft does not say whether
 * Export-CsPersistentChatData overwrites, refuses or adds to an existing file. `-Path` names the
 * file with its last character as a one-character set (`export-gc.zi[p]`): it matches the file
 * when present, and a wildcard that matches nothing is no error (a missing literal path would be).
 * A file that cannot be removed (in use) still fails the step, before the export runs.
 */
export function removeEarlier(file: string): Command {
  return { cmdlet: 'Remove-Item', params: [['Path', `${escapeWildcard(file.slice(0, -1))}[${file.slice(-1)}]`], ['Force', { switch: true }]] }
}

const exportCommands = (i: ExportInput, scope: readonly string[] | undefined): Command[] => [removeEarlier(i.file), removeEarlier(i.report), exportCommand(i, scope)]

async function scopeFor(ctx: RunContext, id: StepId<'export'>, i: ExportInput): Promise<string[] | undefined> {
  if (i.excludeCategories.length === 0) return undefined
  const scope = scopeOf(await readArtifact<Inventory>(ctx, id, i.inventoryStep), i.excludeCategories)
  if (scope.length === 0) throw new Error(`every category of ${i.source} is left out of the export (export: false); nothing would be migrated`)
  return scope
}

/** Export-CsPersistentChatData from the legacy store, with -StartDate from the cutoff and -Scope
 * from the categories left out. The file and report of an earlier attempt are removed first, so
 * running it again writes a fresh file whatever the cmdlet does with an existing one. */
export const exportKind = defineStep<'export', ExportInput>({
  kind: 'export',
  traits: { idempotent: true },
  fromPlan: (plan, platform) => plan.sources.map((s, lane) => ({
    slot: 'export', lane,
    step: makeStep('export', exportId(s.id), 'cutover', `Export ${s.id} with Export-CsPersistentChatData`, {
      source: s.id, dbInstance: s.database.instance, dbName: s.database.name,
      file: platform.joinPath(plan.environment.workDir, exportFileName(s.id)), report: platform.joinPath(plan.environment.workDir, `export-${s.id}.html`),
      startDate: cutoffInstant(plan),
      excludeCategories: plan.rooms.categories.filter((c) => c.source === s.id && !c.export).map((c) => splitPath(c.from) ?? [c.from]),
      inventoryStep: frozenInventoryId(s.id),
    }),
  })),
  forecast: (step, known) => messageMinutes(5, 1_000, known.inventory(step.input.source)),
  preview(step, known) {
    const i = step.input
    if (i.excludeCategories.length === 0) return [{ type: 'commands', commands: exportCommands(i, undefined) }]
    // -Scope names the categories the frozen inventory (or else the preflight one) found: exact
    // once either has run. Before that the preview says so rather than guess names.
    const inv = known.inventory(i.source)
    if (inv !== undefined) return [{ type: 'commands', commands: exportCommands(i, scopeOf(inv, i.excludeCategories)) }]
    return [{ type: 'note', text: `-Scope will list every legacy category except ${i.excludeCategories.map((p) => p.join('/')).join(', ')}, as the inventory (${i.inventoryStep}) finds them; run the preflight (cutover apply --until ${checkTargetId()}) to see the exact command` }, { type: 'commands', commands: exportCommands(i, undefined) }]
  },
  async run(step, ctx) {
    const i = step.input
    const scope = await scopeFor(ctx, step.id, i)
    const results = await runCommands(ctx, step.id, exportCommands(i, scope))
    const data = results.at(-1)?.data ?? {}
    const keep = Object.fromEntries(Object.entries(data).filter(([, v]) => typeof v === 'string' || typeof v === 'number')) as Record<string, string | number>
    return { outputs: { ...keep, file: i.file, scope: scope ?? null }, warnings: warningsOf(results) }
  },
})
