import { flattenedName, isWithin, pathKey, splitPath } from '../plan/names.js'
import type { RoomRule, RoomRules } from '../plan/room-rules.js'
import type { Privacy } from '../plan/types.js'
import { MANAGER } from '../sql/inventory.js'
import type { Inventory, InventoryRoom } from '../sql/inventory.js'

/** A legacy room as it should be in Persistent Chat once the cutover is done. */
export interface ExpectedRoom {
  readonly source: string
  readonly legacyPath: readonly string[]
  /** Its name right after the import (its legacy name) and after the mappings. */
  readonly importedName: string
  readonly name: string
  readonly importedCategory: string
  readonly category: string
  readonly privacy?: Privacy
  readonly disabled?: boolean
  readonly description?: string
  /** Its messages since the cutoff, and whatever their date (an export that ignores -StartDate). */
  readonly messages: number
  readonly allMessages: number
  readonly roles: Readonly<Record<string, number>>
  /** Managers of the legacy root category: Microsoft documents that each becomes a manager of
   * every room, so the room has at least this many managers after the import. */
  readonly rootManagers: number
}

export interface ExpectedCategory {
  readonly source: string
  readonly legacyPath: readonly string[]
  readonly importedName: string
  readonly name: string
}

export interface Expectation {
  readonly categories: readonly ExpectedCategory[]
  readonly rooms: readonly ExpectedRoom[]
  /** Rooms the import brings in that the mappings then remove (action skip, or unmapped: skip). */
  readonly removed: readonly { readonly source: string; readonly legacyPath: readonly string[]; readonly name: string }[]
}

/**
 * What the Persistent Chat store must hold after the cutover, from each source's frozen inventory
 * (in the plan's order of its sources) and the plan's room rules, as the mappings and verify steps
 * hold them in their inputs: the one model both use, so they cannot disagree about what "done" means.
 */
export function expectation(rules: RoomRules, inventories: ReadonlyMap<string, Inventory>): Expectation {
  const categories: ExpectedCategory[] = []
  const rooms: ExpectedRoom[] = []
  const removed: { source: string; legacyPath: readonly string[]; name: string }[] = []
  const roomMaps = new Map<string, RoomRule>()
  for (const m of rules.map) {
    const parts = splitPath(m.room)
    if (parts !== undefined) roomMaps.set(pathKey(m.source, parts), m)
  }
  for (const [id, inv] of inventories) {
    const excluded = rules.categories.filter((c) => c.source === id && !c.export).map((c) => splitPath(c.from) ?? [])
    const renamed = new Map(rules.categories.filter((c) => c.source === id && c.to !== null).map((c) => [pathKey(id, splitPath(c.from) ?? []), c.to ?? '']))
    const names = new Map<number, { imported: string; final: string }>()
    for (const c of inv.categories) {
      if (excluded.some((x) => isWithin(c.path, x))) continue
      const final = renamed.get(pathKey(id, c.path)) ?? c.flattened
      names.set(c.id, { imported: c.flattened, final })
      categories.push({ source: id, legacyPath: c.path, importedName: c.flattened, name: final })
    }
    for (const r of inv.rooms) {
      const cat = names.get(r.categoryId)
      // Rooms of categories left out are not exported; disabled rooms neither (docs/microsoft-facts.md#the-documented-preparation: disabling
      // a room is how an admin keeps it out of the migration).
      if (cat === undefined || r.disabled) continue
      const legacyPath = [...r.categoryPath, r.name]
      const m = roomMaps.get(pathKey(id, legacyPath))
      // action disable: the admin disables it in the legacy system before the export (then it is
      // not exported, above); one still enabled at the freeze is removed after the import, as skip.
      if (m?.action === 'skip' || m?.action === 'disable' || (m === undefined && rules.unmapped === 'skip')) {
        removed.push({ source: id, legacyPath, name: flattenedName(legacyPath) })
        continue
      }
      rooms.push(expectedRoom(id, r, legacyPath, cat, m, inv.rootManagers))
    }
  }
  return { categories, rooms, removed }
}

/** A room's role holders after import: its own, plus the root category's managers (counted once). */
function importedRoles(r: InventoryRoom, rootManagers: number): Record<string, number> {
  const managers = (r.roles[MANAGER] ?? 0) + rootManagers - r.rootManagersHere
  return managers > 0 ? { ...r.roles, [MANAGER]: managers } : { ...r.roles }
}

function expectedRoom(source: string, r: InventoryRoom, legacyPath: readonly string[], cat: { imported: string; final: string }, m: RoomRule | undefined, rootManagers: number): ExpectedRoom {
  return {
    source, legacyPath,
    importedName: flattenedName(legacyPath), name: m?.rename ?? flattenedName(legacyPath),
    importedCategory: cat.final, category: m?.category ?? cat.final,
    ...(m?.privacy == null ? {} : { privacy: m.privacy }),
    ...(m?.disabled == null ? {} : { disabled: m.disabled }),
    ...(m?.description == null ? {} : { description: m.description }),
    messages: r.messages, allMessages: r.allMessages, roles: importedRoles(r, rootManagers), rootManagers,
  }
}
