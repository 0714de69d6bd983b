import { roomsPerCategory, splitPath } from '../plan/names.js'
import type { Plan } from '../plan/types.js'
import type { Inventory } from '../sql/inventory.js'
import { olderThanCutoff, roomRules } from '../sql/older-messages.js'
import { pushAll } from '../core/arrays.js'

/** One room that did not migrate as it was, with its source and its messages. */
export interface RoomBehind {
  readonly source: string
  /** The legacy path: categories, then the room's name. */
  readonly path: readonly string[]
  /** A room that stays behind whole (left out, disabled, skipped): all its messages, whatever
   * their date. One migrated, then disabled: the messages it brought (since the cutoff). In
   * olderMessages: its messages older than the cutoff. */
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
  /** rooms.cutoff: older messages were not exported (Export -StartDate). */
  readonly cutoff?: string
  /** With a cutoff: the messages older than it in the rooms that are exported (Export -StartDate
   * leaves them behind; the rooms listed below stay behind whole): each room holding any, with
   * how many (`messages`), and the total. From the inventory's two counts per room, all
   * messages and messages since the cutoff. */
  readonly olderMessages?: { readonly rooms: readonly RoomBehind[]; readonly messages: number }
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

/** What stayed behind, by reason; a room is listed under the first reason that applies to it.
 * The messages older than the cutoff are counted apart, in the rooms that are exported. */
export function stayedBehind(plan: Plan, inventories: ReadonlyMap<string, Inventory>): StayedBehind {
  const leftOut: CategoryBehind[] = []
  const disabled: RoomBehind[] = []
  const skipped: RoomBehind[] = []
  const disabledAfter: RoomBehind[] = []
  const older: RoomBehind[] = []
  for (const source of plan.sources) {
    const inv = inventories.get(source.id)
    if (inv === undefined) continue
    const excluded = plan.rooms.categories.filter((c) => c.source === source.id && !c.export).map((c) => splitPath(c.from) ?? [])
    const room = (r: Inventory['rooms'][number], messages = r.allMessages): RoomBehind => ({ source: source.id, path: [...r.categoryPath, r.name], messages })
    pushAll(leftOut, roomsPerCategory(excluded, inv.rooms).map(({ path, rooms }) => ({ source: source.id, path, rooms: rooms.map((r) => room(r)) })))
    const rules = roomRules(plan, source.id)
    for (const r of inv.rooms) {
      const fate = rules.fate(r)
      if (fate === 'left-out') continue
      if (fate === 'disabled') disabled.push(room(r))
      else if (fate === 'skipped') skipped.push(room(r))
      else if (rules.mapping(r)?.disabled === true) disabledAfter.push(room(r, r.messages))
      const o = olderThanCutoff(r, fate)
      if (o > 0) older.push(room(r, o))
    }
  }
  return {
    ...(plan.rooms.cutoff === undefined ? {} : { cutoff: plan.rooms.cutoff, olderMessages: { rooms: older, messages: older.reduce((a, x) => a + x.messages, 0) } }),
    unknownSources: plan.sources.filter((s) => !inventories.has(s.id)).map((s) => s.id),
    leftOut, disabled, skipped, disabledAfter,
  }
}
