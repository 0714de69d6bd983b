import type { Command, ParamValue } from '../../core/command.js'
import { stepId } from '../../core/step.js'
import type { Step, StepId } from '../../core/step.js'
import { flattenedName, nameKey, splitPath } from '../../plan/names.js'
import { roomRulesOf } from '../../plan/room-rules.js'
import type { RoomRules } from '../../plan/room-rules.js'
import type { Privacy } from '../../plan/types.js'
import type { Inventory } from '../../sql/inventory.js'
import { NODES } from '../../sql/queries.js'
import { inventories } from '../artifacts.js'
import { defineStep, makeStep } from '../define.js'
import type { RunContext } from '../define.js'
import { expectation } from '../expectations.js'
import type { Expectation, ExpectedRoom } from '../expectations.js'
import { fixedMinutes } from '../forecasts.js'
import { runCommands } from '../run-commands.js'
import { frozenInventoryId } from './inventory.js'

/** `sources`: the plan's sources in order, whose frozen inventories `inventorySteps` are. */
export type MappingsInput = { readonly pool: string; readonly rules: RoomRules; readonly sources: readonly string[]; readonly inventorySteps: readonly StepId<'inventory'>[] }

/** The step that applies the room and category mappings. */
export function mappingsId(): StepId<'mappings'> {
  return stepId('mappings', 'cutover.mappings')
}

const PRIVACY: Readonly<Record<Privacy, string>> = { open: 'Open', closed: 'Closed', secret: 'Secret' }
const identity = (pool: string, name: string) => `${pool}\\${name}`

function roomCommand(pool: string, current: string, r: { name?: string; category?: string; privacy?: Privacy; disabled?: boolean; description?: string }): Command | undefined {
  const params: [string, ParamValue][] = [['Identity', identity(pool, current)]]
  if (r.name !== undefined && r.name !== current) params.push(['Name', r.name])
  if (r.category !== undefined) params.push(['Category', r.category])
  if (r.privacy !== undefined) params.push(['Privacy', PRIVACY[r.privacy]])
  if (r.disabled !== undefined) params.push(['Disabled', { bool: r.disabled }])
  if (r.description !== undefined) params.push(['Description', r.description])
  return params.length > 1 ? { cmdlet: 'Set-CsPersistentChatRoom', params } : undefined
}

/** The commands the preview can show before any inventory exists: one per mapping of the plan. */
function planCommands(i: MappingsInput): Command[] {
  const { pool, rules } = i
  const out: Command[] = []
  for (const c of rules.categories) {
    const imported = flattenedName(splitPath(c.from) ?? [c.from])
    // A rename to the name the import already gives renders nothing, as changes() does.
    if (c.export && c.to !== null && c.to !== imported) out.push({ cmdlet: 'Set-CsPersistentChatCategory', params: [['Identity', identity(pool, imported)], ['Name', c.to]] })
  }
  for (const m of rules.map) {
    const leaf = flattenedName(splitPath(m.room) ?? [m.room])
    // action disable: removed after the import only if still enabled at the freeze (the inventory says).
    if (m.action === 'disable') continue
    if (m.action === 'skip') out.push({ cmdlet: 'Remove-CsPersistentChatRoom', params: [['Identity', identity(pool, leaf)], ['Force', { switch: true }]] })
    else {
      const cmd = roomCommand(pool, leaf, { ...(m.rename === null ? {} : { name: m.rename }), ...(m.category === null ? {} : { category: m.category }), ...(m.privacy === null ? {} : { privacy: m.privacy }), ...(m.disabled === null ? {} : { disabled: m.disabled }), ...(m.description === null ? {} : { description: m.description }) })
      if (cmd !== undefined) out.push(cmd)
    }
  }
  return out
}

/** What the target holds: names of its rooms and categories, or `fresh` for right after the import. */
type Current = { readonly rooms: ReadonlySet<string>; readonly categories: ReadonlySet<string> } | 'fresh'

/** The changes that bring the target from `current` to what the expectation says. With the
 * target's real state this skips what is already in place, so a re-run after a crash is safe. */
function changes(expected: Expectation, pool: string, current: Current): Command[] {
  const has = (set: 'rooms' | 'categories', name: string, imported: boolean) => (current === 'fresh' ? imported : current[set].has(nameKey(name)))
  const out: Command[] = []
  for (const c of expected.categories) {
    if (c.name !== c.importedName && has('categories', c.importedName, true) && !has('categories', c.name, false)) {
      out.push({ cmdlet: 'Set-CsPersistentChatCategory', params: [['Identity', identity(pool, c.importedName)], ['Name', c.name]] })
    }
  }
  for (const r of expected.removed) {
    if (has('rooms', r.name, true)) out.push({ cmdlet: 'Remove-CsPersistentChatRoom', params: [['Identity', identity(pool, r.name)], ['Force', { switch: true }]] })
  }
  for (const r of expected.rooms) {
    const cmd = changeRoom(pool, r, has('rooms', r.importedName, true))
    if (cmd !== undefined) out.push(cmd)
  }
  return out
}

async function pendingCommands(step: Step<'mappings', MappingsInput>, ctx: RunContext): Promise<Command[]> {
  const { pool, inventorySteps, rules } = step.input
  const expected = expectation(rules, await inventories(ctx, step.id, inventorySteps))
  const rows = await (await ctx.sql({ kind: 'target' })).query<{ nodeType: number; nodeName: string }>(NODES)
  const rooms = new Set(rows.filter((r) => Number(r.nodeType) === 0).map((r) => nameKey(r.nodeName)))
  const categories = new Set(rows.filter((r) => Number(r.nodeType) === 1).map((r) => nameKey(r.nodeName)))
  return changes(expected, pool, { rooms, categories })
}

function changeRoom(pool: string, r: ExpectedRoom, stillImportedName: boolean): Command | undefined {
  const changed = r.name !== r.importedName || r.category !== r.importedCategory || r.privacy !== undefined || r.disabled !== undefined || r.description !== undefined
  if (!changed) return undefined
  const current = stillImportedName ? r.importedName : r.name
  return roomCommand(pool, current, {
    name: r.name,
    ...(r.category !== r.importedCategory ? { category: r.category } : {}),
    ...(r.privacy === undefined ? {} : { privacy: r.privacy }),
    ...(r.disabled === undefined ? {} : { disabled: r.disabled }),
    ...(r.description === undefined ? {} : { description: r.description }),
  })
}

/** Category renames, room renames, moves, privacy and skips, applied after the import. */
export const mappingsKind = defineStep<'mappings', MappingsInput>({
  kind: 'mappings',
  traits: { idempotent: true },
  fromPlan: (plan) => [{
    slot: 'mappings',
    step: makeStep('mappings', mappingsId(), 'cutover', 'Apply the room and category mappings', {
      pool: plan.target.pool, rules: roomRulesOf(plan), sources: plan.sources.map((s) => s.id), inventorySteps: plan.sources.map((s) => frozenInventoryId(s.id)),
    }),
  }],
  forecast: () => fixedMinutes(5),
  preview(step, known) {
    const { pool, rules, sources } = step.input
    const invs = new Map<string, Inventory>()
    for (const source of sources) {
      const inv = known.inventory(source)
      if (inv !== undefined) invs.set(source, inv)
    }
    // With every inventory known, the exact changes on a fresh import; else one per mapping.
    if (invs.size === sources.length) return [{ type: 'commands', commands: changes(expectation(rules, invs), pool, 'fresh') }]
    const note = rules.unmapped === 'skip' ? [{ type: 'note' as const, text: 'rooms no mapping names are removed too (unmapped: skip); the inventory lists them' }] : []
    return [...note, { type: 'commands', commands: planCommands(step.input) }]
  },
  async run(step, ctx) {
    const commands = await pendingCommands(step, ctx)
    // Batches keep one host start per batch on a real server while progress still moves.
    const BATCH = 50
    for (let i = 0; i < commands.length; i += BATCH) {
      await runCommands(ctx, step.id, commands.slice(i, i + BATCH))
      ctx.progress(Math.min(i + BATCH, commands.length), commands.length, 'changes')
    }
    return { outputs: { changes: commands.length } }
  },
})
