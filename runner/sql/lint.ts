import { importClashes } from '../plan/import-names.js'
import type { Clash, ExistingItem, IncomingItem } from '../plan/import-names.js'
import { MAX_NAME_LENGTH, flattenedName, nameKey, pathKey, splitPath, withinAny } from '../plan/names.js'
import type { LintRules } from '../plan/room-rules.js'
import type { Inventory, InventoryRoom } from './inventory.js'

/** Microsoft's sizing guidance: keep access-control entries under 2 million (docs/microsoft-facts.md#the-documented-preparation). */
export const MAX_ACCESS_CONTROL_ENTRIES = 2_000_000

export interface LintFinding {
  readonly rule: string
  readonly severity: 'error' | 'warning'
  readonly source?: string
  readonly message: string
  /** Every room or category the finding concerns (the message names the first few). */
  readonly items: readonly string[]
}

function list(items: readonly string[]): string {
  const shown = items.slice(0, 5).map((i) => `'${i}'`).join(', ')
  return items.length > 5 ? `${shown} and ${items.length - 5} more` : shown
}

const roomPath = (r: InventoryRoom) => [...r.categoryPath, r.name]

/** A category or room the lint names in a finding: its source and its path in that store. */
interface Item {
  readonly source: string
  readonly path: string
}

/** Every category and room each source brings in, under the name Import gives it and the one its
 * mappings leave (plan order of the sources), for plan/import-names.ts. */
function incomingItems(rules: LintRules, inventories: ReadonlyMap<string, Inventory>): IncomingItem<Item>[][] {
  return [...inventories].map(([s, inv]) => {
    const excluded = rules.categories.filter((c) => c.source === s && !c.export).map((c) => splitPath(c.from) ?? [])
    const leftOut = withinAny(excluded)
    const exported = (path: readonly string[]) => !leftOut(path)
    const to = new Map(rules.categories.filter((c) => c.source === s && typeof c.to === 'string').map((c) => [pathKey(s, splitPath(c.from) ?? []), c.to ?? '']))
    const maps = new Map(rules.map.filter((m) => m.source === s).map((m) => [pathKey(s, splitPath(m.room) ?? []), m]))
    const items: IncomingItem<Item>[] = []
    for (const c of inv.categories) {
      if (!exported(c.path)) continue
      items.push({ kind: 'category', imported: c.flattened, final: to.get(pathKey(s, c.path)) ?? c.flattened, ref: { source: s, path: c.path.join('/') } })
    }
    for (const r of inv.rooms) {
      if (r.disabled || !exported(r.categoryPath)) continue
      const imported = flattenedName(roomPath(r))
      const m = maps.get(pathKey(s, roomPath(r)))
      // A single source's rules carry no renames nor skips (plan/room-rules.ts): its items keep their imported names.
      const removed = m === undefined ? rules.unmapped === 'skip' : m.action === 'skip'
      items.push({ kind: 'room', imported, final: removed ? null : typeof m?.rename === 'string' ? m.rename : imported, ref: { source: s, path: roomPath(r).join('/') } })
    }
    return items
  })
}

/** What the target holds before the first import, under its own names. */
function existingItems(target: Inventory | undefined): ExistingItem<Item>[] {
  if (target === undefined) return []
  return [
    ...target.categories.map((c): ExistingItem<Item> => ({ kind: 'category', name: c.flattened, ref: { source: 'target', path: c.flattened } })),
    ...target.rooms.map((r): ExistingItem<Item> => ({ kind: 'room', name: r.name, ref: { source: 'target', path: r.name } })),
  ]
}

const CLASH_RULES = {
  overwrites: {
    rule: 'import-overwrites',
    message: "items Import gives a name an item of an earlier source holds when this source is imported; Import overwrites same-named items: give the earlier ones a rename (rooms.map[].rename, rooms.categories[].to), which runs before the next source is imported",
  },
  'same-import': {
    rule: 'same-imported-name',
    message: 'items Import gives the same name once nested categories are flattened: the later overwrites the earlier in the same import; rename one of them in the Group Chat Admin Tool before the export',
  },
  'rename-taken': {
    rule: 'rename-taken',
    message: 'renames (rename, to) to a name the target holds when the mappings of this source run: Set-CsPersistentChatRoom and Set-CsPersistentChatCategory refuse a taken name; choose others',
  },
} as const

function clashItem(c: Clash<Item>): string {
  const holder = c.holder.ref
  return `'${c.name}' (${c.item.path}; ${holder.source === 'target' ? 'already in the target' : `held by ${holder.source}: ${holder.path}`})`
}

/** Categories left out of the export that share their name with exported ones: Export -Scope names
 * categories by their own (leaf) name, so it cannot tell them apart and exports both or neither. */
export function collapsedScope(inv: Inventory, excluded: readonly (readonly string[])[]): string[] {
  const leaf = (path: readonly string[]) => nameKey(path[path.length - 1] ?? '')
  const leftOut = withinAny(excluded)
  const out = excluded.length === 0 ? [] : inv.categories.filter((c) => leftOut(c.path))
  const inScope = new Set(inv.categories.filter((c) => !leftOut(c.path)).map((c) => leaf(c.path)))
  return out.filter((c) => inScope.has(leaf(c.path))).map((c) => c.path.join('/'))
}

/**
 * What the inventory says will go wrong, before the night (docs/microsoft-facts.md#the-documented-preparation):
 * each finding with a rule id, a severity and the rooms it concerns. Pure: inventories in,
 * findings out. `rules`: what it reads of the plan's room rules (plan/room-rules.ts), as the lint step holds them.
 */
export function lintInventories(rules: LintRules, inventories: ReadonlyMap<string, Inventory>, target: Inventory | undefined): LintFinding[] {
  const out: LintFinding[] = []
  const add = (f: LintFinding) => {
    if (f.items.length > 0) out.push(f)
  }
  // In the order of the inventories given: the plan's order of its sources.
  const clashes = importClashes(incomingItems(rules, inventories), existingItems(target))
  for (const [s, inv] of inventories) {
    const excluded = rules.categories.filter((c) => c.source === s && !c.export).map((c) => splitPath(c.from) ?? [])
    const leftOut = withinAny(excluded)
    const exported = (path: readonly string[]) => !leftOut(path)
    const categories = inv.categories.filter((c) => exported(c.path))
    const rooms = inv.rooms.filter((r) => exported(r.categoryPath))
    const migrated = rooms.filter((r) => !r.disabled)

    add({ rule: 'flattened-name-too-long', severity: 'error', source: s, items: [...categories.map((c) => c.flattened), ...migrated.map((r) => flattenedName(roomPath(r)))].filter((n) => n.length > MAX_NAME_LENGTH),
      message: `names longer than ${MAX_NAME_LENGTH} characters once nested categories are flattened; Import refuses them: shorten them in the Group Chat Admin Tool or leave their category out (export: false)` })
    const catInvite = new Map(inv.categories.map((c) => [c.id, c.invite]))
    add({ rule: 'invitation-conflict', severity: 'warning', source: s, items: migrated.filter((r) => r.invite === 1 && catInvite.get(r.categoryId) === 0).map((r) => roomPath(r).join('/')),
      message: 'rooms with invitations on in a category with them off: Import warns and turns their invitations off' })
    if (inv.rootManagers > 0) {
      add({ rule: 'root-managers', severity: 'warning', source: s, items: [`${inv.rootManagers} manager(s) of the root category`],
        message: `${inv.rootManagers} manager(s) of the root category become managers of every migrated room; remove them in the Group Chat Admin Tool first if that is unwanted` })
    }
    add({ rule: 'federated-members', severity: 'warning', source: s, items: migrated.filter((r) => r.federated > 0).map((r) => roomPath(r).join('/')),
      message: 'rooms with federated members: Persistent Chat does not support federation, they lose access' })
    add({ rule: 'unprovisioned-members', severity: 'warning', source: s, items: migrated.filter((r) => r.unprovisioned > 0).map((r) => roomPath(r).join('/')),
      message: `rooms whose members are disabled or deleted principals: Import reports "principal not provisioned" and drops them (${migrated.reduce((a, r) => a + r.unprovisioned, 0)} role(s))` })
    add({ rule: 'disabled-rooms', severity: 'warning', source: s, items: rooms.filter((r) => r.disabled).map((r) => roomPath(r).join('/')),
      message: 'disabled rooms are not migrated (disabling is how a room stays behind); enable them in the Group Chat Admin Tool to migrate them' })
    if (inv.accessControlEntries >= MAX_ACCESS_CONTROL_ENTRIES * 0.8) {
      const over = inv.accessControlEntries >= MAX_ACCESS_CONTROL_ENTRIES
      add({ rule: 'access-control-entries', severity: over ? 'error' : 'warning', source: s, items: [`${inv.accessControlEntries} entries`],
        message: `${inv.accessControlEntries.toLocaleString('en-US')} access-control entries, ${over ? 'over' : 'near'} Microsoft's limit of ${MAX_ACCESS_CONTROL_ENTRIES.toLocaleString('en-US')}: remove memberships the migration does not need` })
    }
    const known = new Set(inv.categories.map((c) => pathKey(s, c.path)))
    add({ rule: 'mapping-not-found', severity: 'error', source: s, items: rules.categories.filter((c) => c.source === s && !known.has(pathKey(s, splitPath(c.from) ?? []))).map((c) => c.from),
      message: 'category mappings that name no category of the store; check the path (names separated by /)' })
    const knownRooms = new Set(inv.rooms.map((r) => pathKey(s, roomPath(r))))
    const mapped = rules.map.filter((m) => m.source === s)
    add({ rule: 'mapping-not-found', severity: 'error', source: s, items: mapped.filter((m) => !knownRooms.has(pathKey(s, splitPath(m.room) ?? []))).map((m) => m.room),
      message: 'room mappings that name no room of the store; check the path (category names, then the room name, separated by /)' })
    const collapsed = collapsedScope(inv, excluded)
    add({ rule: 'scope-collapses', severity: 'error', source: s, items: collapsed,
      message: 'categories left out of the export (export: false) whose own name an exported category has too: Export -Scope names categories by their own name, so it would export them as well; rename one of each pair in the Group Chat Admin Tool, or export both' })
    for (const type of ['overwrites', 'same-import', 'rename-taken'] as const) {
      const mine = clashes.filter((c) => c.type === type && c.item.source === s && (type !== 'overwrites' || c.holder.source !== 'target'))
      add({ rule: CLASH_RULES[type].rule, severity: 'error', source: s, items: mine.map(clashItem), message: CLASH_RULES[type].message })
    }
    if (rules.unmapped === 'error') {
      const named = new Set(mapped.map((m) => pathKey(s, splitPath(m.room) ?? [])))
      add({ rule: 'unmapped-rooms', severity: 'error', source: s, items: migrated.filter((r) => !named.has(pathKey(s, roomPath(r)))).map((r) => roomPath(r).join('/')),
        message: 'rooms no mapping names, with rooms.unmapped: error; map each of them (action: migrate or skip)' })
    }
  }
  if (target !== undefined && target.categories.length + target.rooms.length > 0) {
    // Items created in the target beforehand are overwritten by same-named legacy ones, as Microsoft documents.
    const clash = [...new Set(clashes.filter((c) => c.type === 'overwrites' && c.holder.source === 'target').map((c) => c.holder.ref.path))]
    add({ rule: 'target-not-empty', severity: 'warning', items: [...target.categories.map((c) => c.flattened), ...target.rooms.map((r) => r.name)],
      message: `the Persistent Chat store is not empty (${target.categories.length} categories, ${target.rooms.length} rooms)${clash.length > 0 ? `; Import will overwrite ${clash.length} same-named item(s): ${list(clash)}` : ''}` })
  }
  return out
}

/** One line per finding, naming the first few rooms it concerns. */
export function describeLint(f: LintFinding): string {
  return `[${f.rule}]${f.source === undefined ? '' : ` ${f.source}:`} ${f.message}${f.items.length > 0 && !f.message.includes(f.items[0] ?? '') ? `: ${list(f.items)}` : ''}`
}
