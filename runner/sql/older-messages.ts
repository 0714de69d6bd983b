import { pathKey, splitPath, withinAny } from '../plan/names.js'
import type { Plan } from '../plan/types.js'
import type { Inventory, InventoryRoom } from './inventory.js'

/** A room whose messages older than the cutoff Export -StartDate leaves behind, and how many. */
export interface OlderInRoom {
  readonly room: InventoryRoom
  readonly older: number
}

/**
 * The rooms of source `source` that are exported and kept (not in a category left out, not
 * disabled in Group Chat nor by `action: disable`, not skipped) and hold messages older than the
 * cutoff, from the inventory's two counts per room (all messages, messages since the cutoff):
 * the messages Export -StartDate leaves behind. The rooms that stay behind whole are listed by
 * their own reason, not here. Empty when the inventory was taken without a cutoff. Pure.
 */
export function olderMessagesBehind(plan: Plan, source: string, inv: Inventory): OlderInRoom[] {
  const leftOut = withinAny(plan.rooms.categories.filter((c) => c.source === source && !c.export).map((c) => splitPath(c.from) ?? []))
  const maps = new Map(plan.rooms.map.filter((m) => m.source === source).flatMap((m) => {
    const parts = splitPath(m.room)
    return parts === undefined ? [] : [[pathKey(source, parts), m] as const]
  }))
  const out: OlderInRoom[] = []
  for (const room of inv.rooms) {
    if (room.allMessages <= room.messages || room.disabled || leftOut(room.categoryPath)) continue
    const m = maps.get(pathKey(source, [...room.categoryPath, room.name]))
    if (m?.action === 'skip' || m?.action === 'disable' || (m === undefined && plan.rooms.unmapped === 'skip')) continue
    out.push({ room, older: room.allMessages - room.messages })
  }
  return out
}
