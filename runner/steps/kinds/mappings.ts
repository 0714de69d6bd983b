import type { Command, ParamValue } from '../../core/command.js'
import { stepId } from '../../core/step.js'
import type { Step, StepId } from '../../core/step.js'
import { flattenedName, nameKey, splitPath } from '../../plan/names.js'
import { roomRulesOf, rulesOfSource } from '../../plan/room-rules.js'
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

/** `sources`: the source whose mappings the step applies (one), whose frozen inventory
 * `inventorySteps` is; `rules`: that source's room rules. */
export type MappingsInput = { readonly pool: string; readonly rules: RoomRules; readonly sources: readonly string[]; readonly inventorySteps: readonly StepId<'inventory'>[] }

/** The step that applies the room and category mappings of the last (or only) source, once
 * Persistent Chat runs; with `source`, of that earlier source, before the next import. */
export function mappingsId(source?: string): StepId<'mappings'> {
  return stepId('mappings', source === undefined ? 'cutover.mappings' : `cutover.mappings.${source}`)
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

/** A category or room of the target store as read back after the import. */
interface StoreNode {
  readonly id: number
  readonly parent: number
  readonly room: boolean
  readonly name: string
}

/** What the target holds, by name key: each name as it is stored (what -Identity must say), or
 * `fresh` for right after the import as cutover expects it (the preview). */
type Current = { readonly rooms: ReadonlyMap<string, StoreNode>; readonly categories: ReadonlyMap<string, StoreNode> } | 'fresh'

function currentOf(nodes: readonly StoreNode[]): Exclude<Current, 'fresh'> {
  return {
    rooms: new Map(nodes.filter((n) => n.room).map((n) => [nameKey(n.name), n])),
    categories: new Map(nodes.filter((n) => !n.room).map((n) => [nameKey(n.name), n])),
  }
}

/** The stored spelling of `name`, or undefined when the target has no such item; on a fresh
 * import, the items the import creates are there under the names cutover expects. */
function stored(current: Current, set: 'rooms' | 'categories', name: string, imported: boolean): string | undefined {
  if (current === 'fresh') return imported ? name : undefined
  return current[set].get(nameKey(name))?.name
}

function roomChanged(r: ExpectedRoom): boolean {
  return r.name !== r.importedName || r.category !== r.importedCategory || r.privacy !== undefined || r.disabled !== undefined || r.description !== undefined
}

/** The changes that bring the target from `current` to what the expectation says. With the
 * target's real state this skips what is already in place, so a re-run after a crash is safe,
 * and every -Identity is a name the target holds, spelled as it holds it. */
function changes(expected: Expectation, pool: string, current: Current): Command[] {
  const out: Command[] = []
  for (const c of expected.categories) {
    const from = stored(current, 'categories', c.importedName, true)
    if (c.name !== c.importedName && from !== undefined && stored(current, 'categories', c.name, false) === undefined) {
      out.push({ cmdlet: 'Set-CsPersistentChatCategory', params: [['Identity', identity(pool, from)], ['Name', c.name]] })
    }
  }
  for (const r of expected.removed) {
    const at = stored(current, 'rooms', r.name, true)
    if (at !== undefined) out.push({ cmdlet: 'Remove-CsPersistentChatRoom', params: [['Identity', identity(pool, at)], ['Force', { switch: true }]] })
  }
  for (const r of expected.rooms) {
    if (!roomChanged(r)) continue
    const at = stored(current, 'rooms', r.importedName, true) ?? stored(current, 'rooms', r.name, false) ?? r.name
    const cmd = roomCommand(pool, at, {
      name: r.name,
      ...(r.category !== r.importedCategory ? { category: r.category } : {}),
      ...(r.privacy === undefined ? {} : { privacy: r.privacy }),
      ...(r.disabled === undefined ? {} : { disabled: r.disabled }),
      ...(r.description === undefined ? {} : { description: r.description }),
    })
    if (cmd !== undefined) out.push(cmd)
  }
  return out
}

/** An item of the source the target does not hold under the name cutover expects the import to
 * give it (nor, after a re-run, under its new name), and what the target has that looks like it. */
interface Unfound {
  readonly what: string
  readonly expected: string
  readonly lookalikes: readonly string[]
}

const endsWithName = (stored: string, name: string) => nameKey(stored).endsWith(nameKey(name))

/**
 * The items the mappings would address, or that Import named otherwise than cutover expects:
 * Microsoft does not document how Import flattens names (the separator; whether a room of a
 * top-level category gets its category as prefix: docs/microsoft-facts.md#what-cutover-guesses).
 * An item missing without a look-alike that no mapping addresses is left to verify (Import may
 * have dropped it); any other is reported before a single change is made.
 */
function unfound(expected: Expectation, nodes: readonly StoreNode[]): Unfound[] {
  const current = currentOf(nodes)
  const has = (set: 'rooms' | 'categories', ...names: string[]) => names.some((n) => current[set].has(nameKey(n)))
  const claimed = new Set<number>()
  const claim = (set: 'rooms' | 'categories', ...names: string[]) => {
    for (const n of names) {
      const node = current[set].get(nameKey(n))
      if (node !== undefined) claimed.add(node.id)
    }
  }
  for (const c of expected.categories) claim('categories', c.importedName, c.name)
  for (const r of expected.rooms) claim('rooms', r.importedName, r.name)
  for (const r of expected.removed) claim('rooms', r.name)
  const free = nodes.filter((n) => !claimed.has(n.id))
  const categoryIds = (...names: string[]) => new Set(names.map((n) => current.categories.get(nameKey(n))?.id).filter((id) => id !== undefined))
  const roomLookalikes = (legacyPath: readonly string[], categories: readonly string[]) => {
    const leaf = legacyPath[legacyPath.length - 1] ?? ''
    const parents = categoryIds(flattenedName(legacyPath.slice(0, -1)), ...categories)
    return free.filter((n) => n.room && endsWithName(n.name, leaf) && (parents.size === 0 || parents.has(n.parent))).map((n) => n.name)
  }
  const out: Unfound[] = []
  for (const c of expected.categories) {
    if (has('categories', c.importedName, c.name)) continue
    const top = c.legacyPath[0] ?? ''
    const leaf = c.legacyPath[c.legacyPath.length - 1] ?? ''
    const lookalikes = free.filter((n) => !n.room && nameKey(n.name).startsWith(nameKey(top)) && endsWithName(n.name, leaf)).map((n) => n.name)
    if (c.name !== c.importedName || lookalikes.length > 0) out.push({ what: `category '${c.legacyPath.join('/')}' of ${c.source}`, expected: c.importedName, lookalikes })
  }
  for (const r of expected.rooms) {
    if (has('rooms', r.importedName, r.name)) continue
    const lookalikes = roomLookalikes(r.legacyPath, [r.importedCategory, r.category])
    if (roomChanged(r) || lookalikes.length > 0) out.push({ what: `room '${r.legacyPath.join('/')}' of ${r.source}`, expected: r.importedName, lookalikes })
  }
  for (const r of expected.removed) {
    if (has('rooms', r.name)) continue
    // Removed before (a re-run), unless something like it is there.
    const lookalikes = roomLookalikes(r.legacyPath, [])
    if (lookalikes.length > 0) out.push({ what: `room '${r.legacyPath.join('/')}' of ${r.source} (to remove)`, expected: r.name, lookalikes })
  }
  return out
}

function unfoundMessage(lost: readonly Unfound[]): string {
  const shown = lost.slice(0, 5).map((l) => `${l.what} as '${l.expected}'${l.lookalikes.length > 0 ? ` (the store has ${l.lookalikes.slice(0, 3).map((n) => `'${n}'`).join(' or ')})` : ' (not there)'}`)
  return `the Persistent Chat store does not hold ${lost.length} item(s) of this source under the names cutover expects the import to give them, so no mapping was applied: ${shown.join('; ')}${lost.length > 5 ? `; and ${lost.length - 5} more (in the step log)` : ''}. ` +
    'cutover expects the names of nested categories joined by a space and a room prefixed with its category path, which Microsoft does not document (docs/microsoft-facts.md#what-cutover-guesses): ' +
    'rename these items by hand to the names cutover expects and apply again, or roll back (cutover rollback)'
}

async function pendingCommands(step: Step<'mappings', MappingsInput>, ctx: RunContext): Promise<Command[]> {
  const { pool, inventorySteps, rules } = step.input
  const expected = expectation(rules, await inventories(ctx, step.id, inventorySteps))
  // The names as the import really made them, read back from the target store.
  const rows = await (await ctx.sql({ kind: 'target' })).query<{ nodeID: number; parentID: number; nodeType: number; nodeName: string }>(NODES)
  const nodes = rows.filter((r) => Number(r.nodeID) !== Number(r.parentID)).map((r): StoreNode => ({ id: Number(r.nodeID), parent: Number(r.parentID), room: Number(r.nodeType) === 0, name: r.nodeName }))
  const lost = unfound(expected, nodes)
  if (lost.length > 0) {
    for (const l of lost) ctx.log(`not found: ${l.what} as '${l.expected}'${l.lookalikes.length > 0 ? `; the store has ${l.lookalikes.map((n) => `'${n}'`).join(', ')}` : ''}`)
    throw new Error(unfoundMessage(lost))
  }
  return changes(expected, pool, currentOf(nodes))
}

/** Category renames, room renames, moves, privacy and skips of one source, applied after its
 * import with Persistent Chat running: the last (or only) source's once the services start, an
 * earlier source's before the next source is imported (steps/order.ts). */
export const mappingsKind = defineStep<'mappings', MappingsInput>({
  kind: 'mappings',
  traits: { idempotent: true },
  fromPlan: (plan) => {
    const rules = roomRulesOf(plan)
    const last = plan.sources.length - 1
    return plan.sources.map((s, lane) => {
      const input: MappingsInput = { pool: plan.target.pool, rules: rulesOfSource(rules, s.id), sources: [s.id], inventorySteps: [frozenInventoryId(s.id)] }
      if (lane === last) return { slot: 'mappings', step: makeStep('mappings', mappingsId(), 'cutover', last === 0 ? 'Apply the room and category mappings' : `Apply the room and category mappings of ${s.id}`, input) } as const
      const next = plan.sources[lane + 1]?.id ?? ''
      return { slot: 'mappings', lane, step: makeStep('mappings', mappingsId(s.id), 'cutover', `Apply the room and category mappings of ${s.id} before ${next} is imported`, input) } as const
    })
  },
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
