import { pathKey, roomsPerCategory, splitPath } from '../plan/names.js'
import { olderThanCutoff, roomRules } from '../sql/older-messages.js'
import type { Plan, Privacy, UnmappedPolicy } from '../plan/types.js'
import type { RenderKnowledge } from '../steps/define.js'

/**
 * What happens to a category or room the plan names (or, with an inventory, one that stays
 * behind): `migrates` as it is, `changed` (the columns say how), `disabled` after the import,
 * `skipped` (imported, then removed), `left-out` of the export (export: false, with its rooms),
 * `stays-behind` (disabled in Group Chat, so not exported).
 */
export type ScopeOutcome = 'migrates' | 'changed' | 'disabled' | 'skipped' | 'left-out' | 'stays-behind'

export interface ScopeRow {
  readonly source: string
  readonly kind: 'category' | 'room'
  /** The legacy path as the plan writes it (`\/` for a '/' inside a name). */
  readonly from: string
  /** A category's name after the import (to:), a room's new name (rename:). */
  readonly to?: string
  /** The category a room moves to. */
  readonly category?: string
  readonly privacy?: Privacy
  readonly description?: string
  readonly outcome: ScopeOutcome
  /** With an inventory: how many rooms and messages (all of them, whatever their date) stay
   * behind with it. */
  readonly rooms?: number
  readonly messages?: number
}

export interface PreviewScope {
  /** Older messages are not exported (-StartDate). */
  readonly cutoff?: string
  /** With a cutoff and every source's inventory: the messages older than it in the rooms that
   * are exported (Export -StartDate leaves them behind), and how many rooms hold them. */
  readonly olderMessages?: { readonly rooms: number; readonly messages: number }
  /** What happens to the rooms no mapping names. */
  readonly unmapped: UnmappedPolicy
  /** Every source's inventory was known (recorded, or read with --inventory): the rows that
   * stay behind are then listed too. */
  readonly inventoryKnown: boolean
  readonly rows: readonly ScopeRow[]
}

/** The plan's rooms: section as a reviewer reads it: each category and room it names, what
 * happens to it, and (with the inventories) the disabled rooms that stay behind. Pure. */
export function previewScope(plan: Plan, known: RenderKnowledge): PreviewScope {
  const rows: ScopeRow[] = []
  const behind = leftBehind(plan, known)
  for (const c of plan.rooms.categories) {
    if (!c.export) rows.push({ source: c.source, kind: 'category', from: c.from, outcome: 'left-out', ...behind(c.source, c.from) })
    else if (c.to !== undefined) rows.push({ source: c.source, kind: 'category', from: c.from, to: c.to, outcome: 'changed' })
  }
  for (const m of plan.rooms.map) {
    const changes = {
      ...(m.rename === undefined ? {} : { to: m.rename }), ...(m.category === undefined ? {} : { category: m.category }),
      ...(m.privacy === undefined ? {} : { privacy: m.privacy }), ...(m.description === undefined ? {} : { description: m.description }),
    }
    const outcome: ScopeOutcome = m.action === 'skip' ? 'skipped' : m.disabled === true ? 'disabled' : Object.keys(changes).length > 0 ? 'changed' : 'migrates'
    rows.push({ source: m.source, kind: 'room', from: m.room, ...changes, outcome })
  }
  const inventories = plan.sources.map((s) => ({ id: s.id, inventory: known.inventory(s.id) }))
  // Each inventoried room classified once, as the report's "what stayed behind" classifies it
  // (sql/older-messages.ts roomRules): the disabled ones are listed, the older messages counted.
  const older = { rooms: 0, messages: 0 }
  for (const { id, inventory } of inventories) {
    if (inventory === undefined) continue
    const rules = roomRules(plan, id)
    for (const r of inventory.rooms) {
      const fate = rules.fate(r)
      if (fate === 'disabled') rows.push({ source: id, kind: 'room', from: [...r.categoryPath, r.name].map((n) => n.replace(/\//g, '\\/')).join('/'), outcome: 'stays-behind', messages: r.allMessages })
      const count = olderThanCutoff(r, fate)
      if (count > 0) {
        older.rooms++
        older.messages += count
      }
    }
  }
  const inventoryKnown = inventories.every((i) => i.inventory !== undefined)
  return {
    ...(plan.rooms.cutoff === undefined ? {} : { cutoff: plan.rooms.cutoff }),
    ...(plan.rooms.cutoff === undefined || !inventoryKnown ? {} : { olderMessages: older }),
    unmapped: plan.rooms.unmapped,
    inventoryKnown,
    rows,
  }
}

/** The rooms and messages each left-out category keeps behind, when the inventory is known:
 * counted once per source (roomsPerCategory), then looked up per category. */
function leftBehind(plan: Plan, known: RenderKnowledge): (source: string, from: string) => { rooms?: number; messages?: number } {
  const counts = new Map<string, { rooms: number; messages: number }>()
  for (const s of plan.sources) {
    const inventory = known.inventory(s.id)
    if (inventory === undefined) continue
    const paths = plan.rooms.categories.filter((c) => c.source === s.id && !c.export).flatMap((c) => {
      const p = splitPath(c.from)
      return p === undefined ? [] : [p]
    })
    for (const { path, rooms } of roomsPerCategory(paths, inventory.rooms)) {
      counts.set(pathKey(s.id, path), { rooms: rooms.length, messages: rooms.reduce((a, r) => a + r.allMessages, 0) })
    }
  }
  return (source, from) => {
    const path = splitPath(from)
    return (path === undefined ? undefined : counts.get(pathKey(source, path))) ?? {}
  }
}
