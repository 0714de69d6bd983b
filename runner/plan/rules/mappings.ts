import { MAX_NAME_LENGTH, flattenedLength, flattenedName, pathKey, splitPath, withinAny } from '../names.js'
import { importClashes } from '../import-names.js'
import type { Clash, IncomingItem, ItemKind } from '../import-names.js'
import type { Path } from '../yaml.js'
import type { Rule, RuleContext } from './rule.js'

interface Entry {
  readonly path: Path
  readonly field: string
  readonly source: string
  readonly text: string
  readonly parts: readonly string[] | undefined
  /** pathKey(source, parts), the path's identity in its source ('' without parts): computed once
   * for the duplicate and collision rules, which both key every entry. */
  readonly key: string
  /** false for a category left out of the export: nothing of it reaches Persistent Chat. */
  readonly exported: boolean
}

// Three rules read the same entries; a 10,000-room plan made them 36,000 objects a validation.
// Keyed by the plan's lists, which rules only read.
const categoryCache = new WeakMap<readonly unknown[], readonly Entry[]>()
const roomCache = new WeakMap<readonly unknown[], readonly Entry[]>()

function entry(path: Path, field: string, source: string, text: string, exported: boolean): Entry {
  const parts = splitPath(text)
  return { path, field, source, text, parts, key: parts === undefined ? '' : pathKey(source, parts), exported }
}

function categoryEntries(ctx: RuleContext): readonly Entry[] {
  const list = ctx.plan.rooms.categories
  let entries = categoryCache.get(list)
  if (entries === undefined) {
    entries = list.map((c, i) => entry(['rooms', 'categories', i], 'from', c.source, c.from, c.export))
    categoryCache.set(list, entries)
  }
  return entries
}

function roomEntries(ctx: RuleContext): readonly Entry[] {
  const list = ctx.plan.rooms.map
  let entries = roomCache.get(list)
  if (entries === undefined) {
    entries = list.map((r, i) => entry(['rooms', 'map', i], 'room', r.source, r.room, true))
    roomCache.set(list, entries)
  }
  return entries
}

export const badPath: Rule = {
  id: 'bad-path',
  describe: 'legacy paths have no empty names; rooms name a category and a room',
  check(ctx) {
    for (const e of categoryEntries(ctx)) {
      if (e.parts === undefined) ctx.report({ path: [...e.path, e.field], severity: 'error', message: `category path '${e.text}' has an empty name; write names separated by '/', e.g. Engineering/Build` })
    }
    for (const e of roomEntries(ctx)) {
      if (e.parts === undefined) ctx.report({ path: [...e.path, e.field], severity: 'error', message: `room path '${e.text}' has an empty name; write the category path and the room name separated by '/', e.g. Engineering/Build/Nightly` })
      else if (e.parts.length < 2) ctx.report({ path: [...e.path, e.field], severity: 'error', message: `room path '${e.text}' names no category; every room lives in one: write Category/Room` })
    }
  },
}

function reportDuplicates(ctx: RuleContext, entries: readonly Entry[], what: string): void {
  const first = new Map<string, Entry>()
  for (const e of entries) {
    if (e.parts === undefined) continue
    const prev = first.get(e.key)
    if (prev === undefined) first.set(e.key, e)
    else ctx.report({ path: [...e.path, e.field], severity: 'error', message: `${what} '${e.text}' of source ${e.source} is already mapped at line ${ctx.lineOf([...prev.path, prev.field])}; merge the two entries` })
  }
}

export const duplicateMapping: Rule = {
  id: 'duplicate-mapping',
  describe: 'a legacy room or category is mapped once',
  check(ctx) {
    reportDuplicates(ctx, categoryEntries(ctx), 'category')
    reportDuplicates(ctx, roomEntries(ctx), 'room')
  },
}

export const nameTooLong: Rule = {
  id: 'name-too-long',
  describe: `flattened names fit Microsoft's ${MAX_NAME_LENGTH}-character limit`,
  check(ctx) {
    for (const [entries, what] of [[categoryEntries(ctx), 'category'], [roomEntries(ctx), 'room']] as const) {
      for (const e of entries) {
        if (e.parts === undefined || !e.exported) continue
        const length = flattenedLength(e.parts)
        // The import runs before any rename, so a rename does not save a name that is too long.
        if (length > MAX_NAME_LENGTH) ctx.report({ path: [...e.path, e.field], severity: 'error', message: `${what} '${shorten(e.text)}' is ${length} characters once nested categories are flattened (limit ${MAX_NAME_LENGTH}, parent names included); shorten it in the Group Chat Admin Tool before the export` })
      }
    }
  },
}

/** An item the plan names, as the collision rule tells it: where to point and how to call it. */
interface Named {
  readonly path: Path
  /** The field that names what Import creates (from, room), and the one that renames it. */
  readonly importField: string
  readonly renameField: string
  /** The path as the plan writes it (a category a room lies in: its names joined by '/'). */
  readonly text: string
  /** For a category the plan names only through a room: that room's path. */
  readonly viaRoom?: string
  readonly source: string
  readonly kind: ItemKind
  /** Its rename or 'to', when the plan gives one. */
  readonly renamedTo: string | undefined
}

/** How a finding calls an item. Built only for a finding: a 10,000-room plan names some 12,000
 * items, and a label each was a third of this rule's time (issue 14). */
function labelOf(n: Named): string {
  if (n.kind === 'room') return `room '${n.text}' of ${n.source}`
  return `category '${n.text}' of ${n.source}${n.viaRoom === undefined ? '' : ` (room '${n.viaRoom}' is in it)`}`
}

/** The items each source brings in that the plan names, source after source: its exported category
 * entries, every category a room entry lies in (so two sources' General meet even unmapped), and
 * its room entries (skipped ones too: Import brings them in before the mappings remove them). */
function namedItems(ctx: RuleContext): IncomingItem<Named>[][] {
  return ctx.plan.sources.map((s) => {
    const leftOutPaths = ctx.plan.rooms.categories.filter((c) => c.source === s.id && !c.export).map((c) => splitPath(c.from)).filter((p) => p !== undefined)
    const leftOut = withinAny(leftOutPaths)
    const categories = new Map<string, IncomingItem<Named>>()
    // The entries hold each path split and keyed (the source is s.id for every entry used here).
    const categoryList = categoryEntries(ctx)
    const roomList = roomEntries(ctx)
    ctx.plan.rooms.categories.forEach((c, i) => {
      const parts = categoryList[i]?.parts
      if (c.source !== s.id || parts === undefined || leftOut(parts)) return
      // Each key computed once: this rule asks for some five per room of a big plan.
      const key = categoryList[i]?.key ?? ''
      if (categories.has(key)) return
      const imported = flattenedName(parts)
      categories.set(key, {
        kind: 'category', imported, final: c.to ?? imported,
        ref: { path: ['rooms', 'categories', i], importField: 'from', renameField: c.to === undefined ? 'from' : 'to', text: c.from, source: s.id, kind: 'category', renamedTo: c.to },
      })
    })
    const rooms = new Map<string, IncomingItem<Named>>()
    // Per category a room lies in: whether it is left out. Asked once per category, not per room
    // (a big plan has some five rooms a category), and the categories it lies in are walked then:
    // after that walk, every one of them is in the map.
    const parentLeftOut = new Map<string, boolean>()
    ctx.plan.rooms.map.forEach((r, i) => {
      const parts = roomList[i]?.parts
      if (r.source !== s.id || parts === undefined || parts.length < 2) return
      const parentKey = pathKey(s.id, parts, parts.length - 1)
      const known = parentLeftOut.get(parentKey)
      if (known === true) return
      const path: Path = ['rooms', 'map', i]
      if (known === undefined) {
        const out = leftOutPaths.length > 0 && leftOut(parts.slice(0, -1))
        parentLeftOut.set(parentKey, out)
        if (out) return
        for (let n = 1; n < parts.length; n++) {
          const key = n === parts.length - 1 ? parentKey : pathKey(s.id, parts, n)
          if (categories.has(key)) continue
          const cat = parts.slice(0, n)
          const imported = flattenedName(cat)
          categories.set(key, { kind: 'category', imported, final: imported, ref: { path, importField: 'room', renameField: 'room', text: cat.join('/'), viaRoom: r.room, source: s.id, kind: 'category', renamedTo: undefined } })
        }
      }
      const key = roomList[i]?.key ?? ''
      if (rooms.has(key)) return
      // Import prefixes a room's name with its category path (docs/microsoft-facts.md#what-cutover-guesses),
      // and room names are unique in a pool (identity <pool>\<room>).
      const imported = flattenedName(parts)
      rooms.set(key, {
        kind: 'room', imported, final: r.action === 'skip' ? null : r.rename ?? imported,
        ref: { path, importField: 'room', renameField: r.rename === undefined ? 'room' : 'rename', text: r.room, source: s.id, kind: 'room', renamedTo: r.rename },
      })
    })
    // Rooms first: where a room entry clashes and so do its categories, the room is the clearer finding.
    return [...rooms.values(), ...categories.values()]
  })
}

function clashMessage(ctx: RuleContext, c: Clash<Named>): { field: string; message: string } {
  const item = c.item
  const other = c.holder.ref
  const at = `line ${ctx.lineOf([...other.path, other.importField])}`
  const what = item.kind === 'room' ? 'rooms' : 'categories'
  const renameKey = item.kind === 'room' ? "'rename'" : "'to'"
  switch (c.type) {
    case 'overwrites': {
      const fix = other.renamedTo !== undefined
        ? `the ${renameKey} of the ${other.source} one takes this name: choose another`
        : `give the ${other.source} one a ${renameKey}${other.kind === 'category' && other.importField === 'room' ? ' (an entry of rooms.categories)' : ''}: each source's mappings run before the next source is imported`
      return { field: item.importField, message: `${labelOf(item)} is imported as '${c.name}', a name ${labelOf(other)} (${at}) holds when ${item.source} is imported; Import overwrites same-named ${what}: ${fix}` }
    }
    case 'same-import':
      return { field: item.importField, message: `${labelOf(item)} and ${labelOf(other)} (${at}) are both imported as '${c.name}' once nested categories are flattened; Import overwrites same-named ${what}, so the later replaces the earlier in the same import: rename one of them in the Group Chat Admin Tool before the export` }
    case 'rename-taken':
      return { field: item.renameField, message: `${labelOf(item)} would be renamed to '${c.name}', a name ${labelOf(other)} (${at}) has when the mappings of ${item.source} run; ${item.kind === 'room' ? 'Set-CsPersistentChatRoom' : 'Set-CsPersistentChatCategory'} refuses a name that is taken: choose another` }
  }
}

export const targetNameCollision: Rule = {
  id: 'target-name-collision',
  describe: 'no item is imported under, or renamed to, a name the target holds at that moment, source after source',
  check(ctx) {
    const reported = new Set<string>()
    for (const c of importClashes(namedItems(ctx))) {
      const { field, message } = clashMessage(ctx, c)
      const place = JSON.stringify([...c.item.path, field])
      // A room entry also stands for its categories: one finding per place is enough.
      if (reported.has(place)) continue
      reported.add(place)
      ctx.report({ path: [...c.item.path, field], severity: 'error', message })
    }
  },
}

export const skipWithChanges: Rule = {
  id: 'skip-with-changes',
  describe: 'a skipped or disabled room has no other changes',
  check(ctx) {
    ctx.plan.rooms.map.forEach((r, i) => {
      if (r.action === 'migrate') return
      const extra = (['rename', 'category', 'privacy', 'disabled', 'description'] as const).filter((k) => r[k] !== undefined)
      if (extra.length > 0) ctx.report({ path: ['rooms', 'map', i, extra[0] ?? 'action'], part: 'key', severity: 'error', message: `room '${r.room}' is not migrated (action: ${r.action}), so ${extra.join(', ')} would never apply; remove ${extra.length > 1 ? 'them' : 'it'} or the ${r.action}` })
    })
  },
}

export const unexportedCategory: Rule = {
  id: 'not-exported',
  describe: 'mappings do not rename or change what is not exported',
  check(ctx) {
    // Keyed by source and path (pathKey compares names as isWithin does): each room looks up its
    // own ancestors, so the rule is linear in mappings (a scan per room was quadratic: 8 s on a
    // 10,000-room plan). The first category in the plan wins, as the scan found it.
    const unexported = new Map<string, number>()
    // A room lies strictly below an unexported category (the category itself is not a room).
    ctx.plan.rooms.categories.forEach((c, i) => {
      const parts = splitPath(c.from)
      if (c.export || parts === undefined) return
      const key = pathKey(c.source, parts)
      if (!unexported.has(key)) unexported.set(key, i)
      if (c.to !== undefined) ctx.report({ path: ['rooms', 'categories', i, 'to'], part: 'key', severity: 'warning', message: `category '${c.from}' is not exported (export: false), so 'to' has no effect` })
    })
    if (unexported.size === 0) return
    // The first left-out category a room lies in, found once per category a room names.
    const byParent = new Map<string, number | undefined>()
    ctx.plan.rooms.map.forEach((r, i) => {
      const parts = splitPath(r.room)
      if (parts === undefined) return
      const parentKey = pathKey(r.source, parts, parts.length - 1)
      let hit = byParent.get(parentKey)
      if (!byParent.has(parentKey)) {
        for (let n = 1; n < parts.length; n++) {
          const at = unexported.get(n === parts.length - 1 ? parentKey : pathKey(r.source, parts, n))
          if (at !== undefined && (hit === undefined || at < hit)) hit = at
        }
        byParent.set(parentKey, hit)
      }
      if (hit !== undefined) ctx.report({ path: ['rooms', 'map', i, 'room'], severity: 'error', message: `room '${r.room}' is in a category that is not exported (line ${ctx.lineOf(['rooms', 'categories', hit])}); remove this mapping or export the category` })
    })
  },
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 40)}...${text.slice(-15)}` : text
}
