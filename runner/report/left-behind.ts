import { isWithin, pathKey, splitPath } from '../plan/names.js'
import type { Plan } from '../plan/types.js'
import type { Inventory } from '../sql/inventory.js'

/** One room that did not migrate as it was, with its source and the messages (since the cutoff)
 * it holds. */
export interface RoomBehind {
  readonly source: string
  /** The legacy path: categories, then the room's name. */
  readonly path: readonly string[]
  readonly messages: number
}

/** A category the plan left out of the export (export: false), with the rooms inside it. */
export interface CategoryBehind {
  readonly source: string
  readonly path: readonly string[]
  readonly rooms: readonly RoomBehind[]
}

/** What did not reach Persistent Chat as it was, for the auditor: from the plan's rules and the
 * inventories the run froze (or took at the preflight). */
export interface StayedBehind {
  /** rooms.cutoff: older messages were not exported (Export -StartDate). The inventory counts
   * only the messages since it, so how many were older is not known here. */
  readonly cutoff?: string
  /** Sources without a recorded inventory: their rooms are not listed. */
  readonly unknownSources: readonly string[]
  /** Categories left out of the export, with their rooms. */
  readonly leftOut: readonly CategoryBehind[]
  /** Rooms disabled in Group Chat: not exported. */
  readonly disabled: readonly RoomBehind[]
  /** Rooms imported, then removed (action: skip, or unmapped: skip). */
  readonly skipped: readonly RoomBehind[]
  /** Rooms migrated and then disabled by the plan (disabled: true). */
  readonly disabledAfter: readonly RoomBehind[]
}

/** What stayed behind, by reason; a room is listed under the first reason that applies to it. */
export function stayedBehind(plan: Plan, inventories: ReadonlyMap<string, Inventory>): StayedBehind {
  const leftOut: CategoryBehind[] = []
  const disabled: RoomBehind[] = []
  const skipped: RoomBehind[] = []
  const disabledAfter: RoomBehind[] = []
  const maps = new Map(plan.rooms.map.flatMap((m) => {
    const parts = splitPath(m.room)
    return parts === undefined ? [] : [[pathKey(m.source, parts), m] as const]
  }))
  for (const source of plan.sources) {
    const inv = inventories.get(source.id)
    if (inv === undefined) continue
    const excluded = plan.rooms.categories.filter((c) => c.source === source.id && !c.export).map((c) => splitPath(c.from) ?? [])
    const room = (r: Inventory['rooms'][number]): RoomBehind => ({ source: source.id, path: [...r.categoryPath, r.name], messages: r.messages })
    for (const path of excluded) leftOut.push({ source: source.id, path, rooms: inv.rooms.filter((r) => isWithin(r.categoryPath, path)).map(room) })
    for (const r of inv.rooms) {
      if (excluded.some((p) => isWithin(r.categoryPath, p))) continue
      if (r.disabled) {
        disabled.push(room(r))
        continue
      }
      const m = maps.get(pathKey(source.id, [...r.categoryPath, r.name]))
      if (m?.action === 'skip' || (m === undefined && plan.rooms.unmapped === 'skip')) skipped.push(room(r))
      else if (m?.disabled === true) disabledAfter.push(room(r))
    }
  }
  return {
    ...(plan.rooms.cutoff === undefined ? {} : { cutoff: plan.rooms.cutoff }),
    unknownSources: plan.sources.filter((s) => !inventories.has(s.id)).map((s) => s.id),
    leftOut, disabled, skipped, disabledAfter,
  }
}
