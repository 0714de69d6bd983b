import { roomRulesOf } from '../plan/room-rules.js'
import { MAX_NAME_LENGTH, flattenedName, isWithin } from '../plan/names.js'
import type { Plan } from '../plan/types.js'
import type { Inventory, InventoryCategory, InventoryRoom } from '../sql/inventory.js'
import { describeLint, lintInventories } from '../sql/lint.js'
import type { LintFinding } from '../sql/lint.js'
import { displayName, pathText, shortenedName } from './names.js'
import { TODO } from './placeholders.js'

/** A category init leaves out of the export, so that the plan runs as written. */
export interface ExcludedCategory {
  readonly path: readonly string[]
  /** Why, and how the admin brings it back: comment lines. */
  readonly why: readonly string[]
}

/** A room the inventory flags whose entry in rooms.map says something: listed there with its reasons. */
export interface FlaggedRoom {
  readonly path: readonly string[]
  /** `skip` for a disabled room: written down, it is what happens anyway. */
  readonly action?: 'skip'
  readonly why: readonly string[]
}

/** Rooms one lint rule flags that migrate as they are: an entry in rooms.map would change nothing,
 * so they are written once, as a comment grouped by the reason, not as mappings. */
export interface FlaggedGroup {
  readonly rule: string
  /** The comment line that heads the group: how many rooms, what happens to them, what to do. */
  readonly why: string
  /** Each room with what the rule counted in it (roles), when it counts. */
  readonly rooms: readonly { readonly path: readonly string[]; readonly count?: number }[]
}

export interface Decisions {
  readonly excluded: readonly ExcludedCategory[]
  readonly rooms: readonly FlaggedRoom[]
  /** The flagged rooms whose entry would change nothing, by reason (in the lint's order). */
  readonly groups: readonly FlaggedGroup[]
  /** Findings about the store as a whole (root managers, access-control entries, the target). */
  readonly notes: readonly { readonly rule: string; readonly text: string }[]
  /** The preflight lint of the plan as written: what `cutover apply` will report. */
  readonly findings: readonly LintFinding[]
}

const roomPath = (r: InventoryRoom): readonly string[] => [...r.categoryPath, r.name]

/** How the lint rules that name rooms (their items are `Category/Room` paths) are written: the
 * reason on a room's own entry, and the head of the group of rooms that migrate as they are. */
interface RoomReason {
  readonly rule: string
  readonly entry: (r: InventoryRoom) => string
  readonly group: (rooms: number) => string
  readonly count?: (r: InventoryRoom) => number
}

const ROOM_REASONS: readonly RoomReason[] = [
  {
    rule: 'disabled-rooms',
    entry: () => 'disabled in Group Chat, so not exported (disabling is how a room stays behind); action: skip says so. To migrate it, enable it in the Group Chat Admin Tool and delete this entry',
    group: (n) => `${n} disabled room(s): not exported`,
  },
  {
    rule: 'federated-members',
    entry: (r) => `${r.federated} role(s) held by federated users: Persistent Chat does not support federation, they lose access. Migrate it anyway, or action: skip`,
    group: (n) => `${n} room(s) with roles held by federated users (how many in brackets): Persistent Chat does not support federation, they lose access. They migrate; to leave one behind, add it to map: with action: skip.`,
    count: (r) => r.federated,
  },
  {
    rule: 'unprovisioned-members',
    entry: (r) => `${r.unprovisioned} role(s) held by disabled or deleted principals: Import drops them ("principal not provisioned")`,
    group: (n) => `${n} room(s) with roles held by disabled or deleted principals (how many in brackets): Import drops those roles ("principal not provisioned") and the rooms migrate without them. Nothing to decide.`,
    count: (r) => r.unprovisioned,
  },
  {
    rule: 'invitation-conflict',
    entry: () => 'invitations on in a category with them off: Import warns and turns them off (change the category in the Group Chat Admin Tool to keep them)',
    group: (n) => `${n} room(s) with invitations on in a category with them off: Import warns and turns them off (change the category in the Group Chat Admin Tool to keep them).`,
  },
]

/**
 * What the preflight lint (runner/sql/lint.ts) says about one source's inventory, turned into the
 * plan's decisions. The lint decides; this presents it. The one decision taken here is forced:
 * Import refuses a name over 256 characters, so its category is left out of the export, or the
 * plan could never run; the comments say how to bring it back.
 */
export function decide(draft: Plan, sourceId: string, inventory: Inventory, target: Inventory | undefined): Decisions {
  const first = lintInventories(roomRulesOf(draft), new Map([[sourceId, inventory]]), target)
  const tooLong = new Set(first.filter((f) => f.rule === 'flattened-name-too-long' && f.source === sourceId).flatMap((f) => f.items))
  const excluded = exclusions(inventory, tooLong)
  const plan: Plan = { ...draft, rooms: { ...draft.rooms, categories: [...draft.rooms.categories, ...excluded.map((e) => ({ source: sourceId, from: pathText(e.path), export: false }))] } }
  const findings = lintInventories(roomRulesOf(plan), new Map([[sourceId, inventory]]), target)

  const inScope = inventory.rooms.filter((r) => !excluded.some((e) => isWithin(r.categoryPath, e.path)))
  const reasons = new Map<InventoryRoom, RoomReason[]>()
  const notes: { rule: string; text: string }[] = []
  for (const f of findings) {
    const reason = ROOM_REASONS.find((r) => r.rule === f.rule)
    if (reason === undefined) {
      notes.push({ rule: f.rule, text: describeLint(f) })
      continue
    }
    for (const item of f.items) {
      // A '/' inside a name makes the joined path ambiguous: every room it may stand for is listed.
      for (const r of inScope.filter((room) => roomPath(room).join('/') === item)) reasons.set(r, [...(reasons.get(r) ?? []), reason])
    }
  }
  // Only a disabled room's entry changes something (action: skip); every other flagged room
  // migrates as it is, so it is written once in its reason's group instead of as a mapping.
  const skipped = (r: InventoryRoom) => (reasons.get(r) ?? []).some((x) => x.rule === 'disabled-rooms')
  const flagged = inScope.filter((r) => reasons.has(r))
  const rooms = flagged.filter(skipped).map((r): FlaggedRoom => ({ path: roomPath(r), action: 'skip', why: (reasons.get(r) ?? []).map((x) => x.entry(r)) }))
  const groups = ROOM_REASONS.flatMap((reason): FlaggedGroup[] => {
    const members = flagged.filter((r) => !skipped(r) && (reasons.get(r) ?? []).includes(reason))
    if (members.length === 0) return []
    const { count } = reason
    return [{ rule: reason.rule, why: reason.group(members.length), rooms: members.map((r) => ({ path: roomPath(r), ...(count === undefined ? {} : { count: count(r) }) })) }]
  })
  return { excluded, rooms, groups, notes, findings }
}

/** The categories to leave out: the one holding each name that is too long (the category itself,
 * or a room's own category), keeping only the outermost when they nest. */
function exclusions(inv: Inventory, tooLong: ReadonlySet<string>): ExcludedCategory[] {
  const paths: (readonly string[])[] = []
  for (const c of inv.categories) if (tooLong.has(c.flattened)) paths.push(c.path)
  // A room directly under the root has no category to leave out: its finding stays a note.
  for (const r of inv.rooms) if (!r.disabled && r.categoryPath.length > 0 && tooLong.has(flattenedName(roomPath(r)))) paths.push(r.categoryPath)
  const outermost = paths.filter((p, i) => !paths.some((q, j) => (q.length < p.length || (q.length === p.length && j < i)) && isWithin(p, q)))
  return outermost.map((path) => ({ path, why: whyExcluded(inv, path, tooLong) }))
}

function whyExcluded(inv: Inventory, path: readonly string[], tooLong: ReadonlySet<string>): string[] {
  const categories = inv.categories.filter((c) => isWithin(c.path, path) && tooLong.has(c.flattened))
  const rooms = inv.rooms.filter((r) => !r.disabled && isWithin(r.categoryPath, path) && tooLong.has(flattenedName(roomPath(r))))
  const items = [
    ...categories.map((c) => ({ what: `the category '${displayName(c.path.at(-1) ?? '')}'`, length: c.flattened.length })),
    ...rooms.map((r) => ({ what: `the room '${displayName(r.name)}'`, length: flattenedName(roomPath(r)).length })),
  ]
  // Not Math.max(...): one argument per item, and a category may hold thousands of long names.
  const longest = items.reduce((m, i) => Math.max(m, i.length), -Infinity)
  const shown = items.slice(0, 3).map((i) => `${i.what} (${i.length})`).join(', ')
  return [
    `${TODO} Import refuses names over ${MAX_NAME_LENGTH} characters, parent category names included. ${items.length === 1 ? 'Flattened, this one is longer' : `Flattened, these ${items.length} are longer`}: ${shown}${items.length > 3 ? ` and ${items.length - 3} more` : ''}.`,
    'So this category is left out of the export (export: false) and the plan runs; a rename in rooms.map would not help, since the import runs first.',
    `To migrate it, ${suggestion(path, categories, rooms, longest - MAX_NAME_LENGTH)} in the Group Chat Admin Tool, then delete export: false.`,
  ]
}

/** How to shorten: the one long room, or else this category's own name, by `over` characters. */
function suggestion(path: readonly string[], categories: readonly InventoryCategory[], rooms: readonly InventoryRoom[], over: number): string {
  const only = rooms.length === 1 && categories.length === 0 ? rooms[0] : undefined
  const name = only?.name ?? path.at(-1) ?? ''
  const what = only === undefined ? 'category' : 'room'
  const keep = name.length - over
  if (keep < 1) return `shorten the names of its parent categories by ${over} characters`
  return `rename the ${what} '${displayName(name)}' to at most ${keep} characters (e.g. '${shortenedName(name, keep)}')`
}

/** How many rooms the decisions flag: those in rooms.map and those in its comments, each once. */
export function flaggedRooms(d: Decisions): number {
  const key = (path: readonly string[]) => JSON.stringify(path)
  return new Set([...d.rooms.map((r) => key(r.path)), ...d.groups.flatMap((g) => g.rooms.map((r) => key(r.path)))]).size
}
