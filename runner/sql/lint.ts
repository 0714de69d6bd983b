import { MAX_NAME_LENGTH, flattenedName, isWithin, nameKey, pathKey, splitPath } from '../plan/names.js'
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
  const importedNames: string[] = []
  // In the order of the inventories given: the plan's order of its sources.
  for (const [s, inv] of inventories) {
    const excluded = rules.categories.filter((c) => c.source === s && !c.export).map((c) => splitPath(c.from) ?? [])
    const exported = (path: readonly string[]) => !excluded.some((x) => isWithin(path, x))
    const categories = inv.categories.filter((c) => exported(c.path))
    const rooms = inv.rooms.filter((r) => exported(r.categoryPath))
    const migrated = rooms.filter((r) => !r.disabled)
    importedNames.push(...categories.map((c) => c.flattened), ...migrated.map((r) => flattenedName(roomPath(r))))

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
    if (rules.unmapped === 'error') {
      const named = new Set(mapped.map((m) => pathKey(s, splitPath(m.room) ?? [])))
      add({ rule: 'unmapped-rooms', severity: 'error', source: s, items: migrated.filter((r) => !named.has(pathKey(s, roomPath(r)))).map((r) => roomPath(r).join('/')),
        message: 'rooms no mapping names, with rooms.unmapped: error; map each of them (action: migrate or skip)' })
    }
  }
  if (target !== undefined && target.categories.length + target.rooms.length > 0) {
    const incoming = new Set(importedNames.map(nameKey))
    const clash = [...target.categories.map((c) => c.flattened), ...target.rooms.map((r) => flattenedName(roomPath(r)))].filter((n) => incoming.has(nameKey(n)))
    add({ rule: 'target-not-empty', severity: 'warning', items: [...target.categories.map((c) => c.flattened), ...target.rooms.map((r) => r.name)],
      message: `the Persistent Chat store is not empty (${target.categories.length} categories, ${target.rooms.length} rooms)${clash.length > 0 ? `; Import will overwrite ${clash.length} same-named item(s): ${list(clash)}` : ''}` })
  }
  return out
}

/** One line per finding, naming the first few rooms it concerns. */
export function describeLint(f: LintFinding): string {
  return `[${f.rule}]${f.source === undefined ? '' : ` ${f.source}:`} ${f.message}${f.items.length > 0 && !f.message.includes(f.items[0] ?? '') ? `: ${list(f.items)}` : ''}`
}
