import { pathKey, splitPath, withinAny } from '../plan/names.js'
import type { Plan, RoomMapping } from '../plan/types.js'
import type { InventoryRoom } from './inventory.js'

/** What the plan does with one inventoried room of a source, by the first reason that applies:
 * in a category left out of the export, disabled in Group Chat, skipped (imported, then removed),
 * disabled by the plan before the freeze (`action: disable`), or exported. */
export type RoomFate = 'left-out' | 'disabled' | 'skipped' | 'disable-action' | 'exported'

export interface RoomRules {
  readonly fate: (room: InventoryRoom) => RoomFate
  /** The plan's mapping of the room, if it names it. */
  readonly mapping: (room: InventoryRoom) => RoomMapping | undefined
}

/** The plan's rules for the rooms of source `source`, built once and asked per room: the report's
 * "what stayed behind" and the messages older than the cutoff classify rooms the same way. Pure. */
export function roomRules(plan: Plan, source: string): RoomRules {
  const leftOut = withinAny(plan.rooms.categories.filter((c) => c.source === source && !c.export).map((c) => splitPath(c.from) ?? []))
  const maps = new Map(plan.rooms.map.filter((m) => m.source === source).flatMap((m) => {
    const parts = splitPath(m.room)
    return parts === undefined ? [] : [[pathKey(source, parts), m] as const]
  }))
  const mapping = (room: InventoryRoom): RoomMapping | undefined => maps.get(pathKey(source, [...room.categoryPath, room.name]))
  return {
    mapping,
    fate(room) {
      if (leftOut(room.categoryPath)) return 'left-out'
      if (room.disabled) return 'disabled'
      const m = mapping(room)
      if (m?.action === 'skip' || (m === undefined && plan.rooms.unmapped === 'skip')) return 'skipped'
      return m?.action === 'disable' ? 'disable-action' : 'exported'
    },
  }
}

/** The messages older than the cutoff that Export -StartDate leaves behind in a room of this
 * fate: only an exported room counts them (it has any only when the inventory was taken with a
 * cutoff); the rooms that stay behind whole are listed by their own reason. */
export function olderThanCutoff(room: InventoryRoom, fate: RoomFate): number {
  return fate === 'exported' && room.allMessages > room.messages ? room.allMessages - room.messages : 0
}
