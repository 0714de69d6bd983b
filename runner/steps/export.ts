import type { Command } from '../core/command.js'
import { isWithin } from '../plan/names.js'
import type { Inventory } from '../sql/inventory.js'
import { readArtifact } from './artifacts.js'
import { inputOf } from './kind.js'
import type { RunContext, Step, StepKind } from './kind.js'
import { runCommands, warningsOf } from './run-commands.js'

interface Input {
  readonly source: string
  readonly dbInstance: string
  readonly dbName: string
  readonly file: string
  readonly report: string
  readonly startDate: string | null
  readonly excludeCategories: readonly (readonly string[])[]
  readonly inventoryStep: string
}

/** The categories to export when some are left out: -Scope lists the others by name. */
export function scopeOf(inv: Inventory, excluded: readonly (readonly string[])[]): string[] {
  const names = inv.categories.filter((c) => !excluded.some((x) => isWithin(c.path, x))).map((c) => c.path[c.path.length - 1] ?? '')
  return [...new Set(names)]
}

function exportCommand(i: Input, scope: readonly string[] | undefined): Command {
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

async function scopeFor(ctx: RunContext, i: Input): Promise<string[] | undefined> {
  if (i.excludeCategories.length === 0) return undefined
  const scope = scopeOf(await readArtifact<Inventory>(ctx, i.inventoryStep), i.excludeCategories)
  if (scope.length === 0) throw new Error(`every category of ${i.source} is left out of the export (export: false); nothing would be migrated`)
  return scope
}

/** Export-CsPersistentChatData from the legacy store, with -StartDate from the cutoff and -Scope
 * from the categories left out. Running it again overwrites the file, so it is idempotent. */
export const exportKind: StepKind = {
  kind: 'export',
  idempotent: true,
  render(step: Step, _plan, known) {
    const i = inputOf<Input>(step)
    if (i.excludeCategories.length === 0) return [{ type: 'commands', commands: [exportCommand(i, undefined)] }]
    // -Scope names the categories the frozen inventory (or else the preflight one) found: exact
    // once either has run. Before that the preview says so rather than guess names.
    const inv = known.inventory(i.source)
    if (inv !== undefined) return [{ type: 'commands', commands: [exportCommand(i, scopeOf(inv, i.excludeCategories))] }]
    return [{ type: 'note', text: `-Scope will list every legacy category except ${i.excludeCategories.map((p) => p.join('/')).join(', ')}, as the inventory (${i.inventoryStep}) finds them; run the preflight (cutover apply --until preflight.target) to see the exact command` }, { type: 'commands', commands: [exportCommand(i, undefined)] }]
  },
  async run(ctx) {
    const i = inputOf<Input>(ctx.step)
    const scope = await scopeFor(ctx, i)
    const results = await runCommands(ctx, [exportCommand(i, scope)])
    const data = results[0]?.data ?? {}
    const keep = Object.fromEntries(Object.entries(data).filter(([, v]) => typeof v === 'string' || typeof v === 'number')) as Record<string, string | number>
    return { outputs: { ...keep, file: i.file, scope: scope ?? null }, warnings: warningsOf(results) }
  },
}
