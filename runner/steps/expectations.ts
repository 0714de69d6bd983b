import { flattenedName, isWithin, pathKey, splitPath } from '../plan/names.js'
import type { Plan, Privacy, RoomMapping } from '../plan/types.js'
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
  readonly messages: number
  readonly roles: Readonly<Record<string, number>>
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
  readonly removed: readonly { readonly source: string; readonly name: string }[]
}

/**
 * What the Persistent Chat store must hold after the cutover, from each source's frozen inventory
 * and the plan's mappings: the one model both the mappings step and verification use, so they
 * cannot disagree about what "done" means.
 */
export function expectation(plan: Plan, inventories: ReadonlyMap<string, Inventory>): Expectation {
  const categories: ExpectedCategory[] = []
  const rooms: ExpectedRoom[] = []
  const removed: { source: string; name: string }[] = []
  const roomMaps = new Map<string, RoomMapping>()
  for (const m of plan.rooms.map) {
    const parts = splitPath(m.room)
    if (parts !== undefined) roomMaps.set(pathKey(m.source, parts), m)
  }
  for (const source of plan.sources) {
    const inv = inventories.get(source.id)
    if (inv === undefined) continue
    const excluded = plan.rooms.categories.filter((c) => c.source === source.id && !c.export).map((c) => splitPath(c.from) ?? [])
    const renamed = new Map(plan.rooms.categories.filter((c) => c.source === source.id && c.to !== undefined).map((c) => [pathKey(source.id, splitPath(c.from) ?? []), c.to ?? '']))
    const names = new Map<number, { imported: string; final: string }>()
    for (const c of inv.categories) {
      if (excluded.some((x) => isWithin(c.path, x))) continue
      const final = renamed.get(pathKey(source.id, c.path)) ?? c.flattened
      names.set(c.id, { imported: c.flattened, final })
      categories.push({ source: source.id, legacyPath: c.path, importedName: c.flattened, name: final })
    }
    for (const r of inv.rooms) {
      const cat = names.get(r.categoryId)
      // Rooms of categories left out are not exported; disabled rooms neither (LYNC.md: disabling
      // a room is how an admin keeps it out of the migration).
      if (cat === undefined || r.disabled) continue
      const legacyPath = [...r.categoryPath, r.name]
      const m = roomMaps.get(pathKey(source.id, legacyPath))
      if (m?.action === 'skip' || (m === undefined && plan.rooms.unmapped === 'skip')) {
        removed.push({ source: source.id, name: flattenedName(legacyPath) })
        continue
      }
      rooms.push(expectedRoom(source.id, r, legacyPath, cat, m, inv.rootManagers))
    }
  }
  return { categories, rooms, removed }
}

/** A room's role holders after import: its own, plus the root category's managers (counted once). */
function importedRoles(r: InventoryRoom, rootManagers: number): Record<string, number> {
  const managers = (r.roles[MANAGER] ?? 0) + rootManagers - r.rootManagersHere
  return managers > 0 ? { ...r.roles, [MANAGER]: managers } : { ...r.roles }
}

function expectedRoom(source: string, r: InventoryRoom, legacyPath: readonly string[], cat: { imported: string; final: string }, m: RoomMapping | undefined, rootManagers: number): ExpectedRoom {
  return {
    source, legacyPath,
    importedName: flattenedName(legacyPath), name: m?.rename ?? flattenedName(legacyPath),
    importedCategory: cat.final, category: m?.category ?? cat.final,
    ...(m?.privacy === undefined ? {} : { privacy: m.privacy }),
    ...(m?.disabled === undefined ? {} : { disabled: m.disabled }),
    ...(m?.description === undefined ? {} : { description: m.description }),
    messages: r.messages, roles: importedRoles(r, rootManagers),
  }
}
