import { MAX_NAME_LENGTH, flattenedName, nameKey, pathKey, splitPath } from '../names.js'
import type { Path } from '../yaml.js'
import type { Rule, RuleContext } from './rule.js'

interface Entry {
  readonly path: Path
  readonly field: string
  readonly source: string
  readonly text: string
  readonly parts: readonly string[] | undefined
  /** false for a category left out of the export: nothing of it reaches Persistent Chat. */
  readonly exported: boolean
}

function categoryEntries(ctx: RuleContext): Entry[] {
  return ctx.plan.rooms.categories.map((c, i) => ({ path: ['rooms', 'categories', i], field: 'from', source: c.source, text: c.from, parts: splitPath(c.from), exported: c.export }))
}

function roomEntries(ctx: RuleContext): Entry[] {
  return ctx.plan.rooms.map.map((r, i) => ({ path: ['rooms', 'map', i], field: 'room', source: r.source, text: r.room, parts: splitPath(r.room), exported: true }))
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
    const key = pathKey(e.source, e.parts)
    const prev = first.get(key)
    if (prev === undefined) first.set(key, e)
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
        const length = flattenedName(e.parts).length
        // The import runs before any rename, so a rename does not save a name that is too long.
        if (length > MAX_NAME_LENGTH) ctx.report({ path: [...e.path, e.field], severity: 'error', message: `${what} '${shorten(e.text)}' is ${length} characters once nested categories are flattened (limit ${MAX_NAME_LENGTH}, parent names included); shorten it in the Group Chat Admin Tool before the export` })
      }
    }
  },
}

interface Named {
  readonly path: Path
  readonly field: string
  readonly label: string
  readonly target: string
  readonly duplicate: boolean
}

/** Marks each entry whose legacy item (source and path) appeared before it. */
function duplicates(items: readonly { source: string; parts: readonly string[] | undefined }[]): boolean[] {
  const seen = new Set<string>()
  return items.map((i) => {
    if (i.parts === undefined) return false
    const key = pathKey(i.source, i.parts)
    const dup = seen.has(key)
    seen.add(key)
    return dup
  })
}

function reportCollisions(ctx: RuleContext, named: readonly Named[], what: string, fix: string): void {
  const first = new Map<string, Named>()
  for (const n of named) {
    // The same legacy item mapped twice is duplicate-mapping's finding, not a collision with itself.
    if (n.duplicate) continue
    const key = nameKey(n.target)
    const prev = first.get(key)
    if (prev === undefined) first.set(key, n)
    else ctx.report({ path: [...n.path, n.field], severity: 'error', message: `${n.label} would be named '${n.target}' in Persistent Chat, like ${prev.label} (line ${ctx.lineOf([...prev.path, prev.field])}); Import overwrites same-named ${what}: ${fix}` })
  }
}

export const targetNameCollision: Rule = {
  id: 'target-name-collision',
  describe: 'no two rooms or categories end with the same Persistent Chat name, across sources too',
  check(ctx) {
    const categories: Named[] = []
    const dupCategories = duplicates(ctx.plan.rooms.categories.map((c) => ({ source: c.source, parts: splitPath(c.from) })))
    ctx.plan.rooms.categories.forEach((c, i) => {
      const parts = splitPath(c.from)
      if (parts === undefined || !c.export) return
      categories.push({ path: ['rooms', 'categories', i], field: c.to === undefined ? 'from' : 'to', label: `category '${c.from}' (${c.source})`, target: c.to ?? flattenedName(parts), duplicate: dupCategories[i] ?? false })
    })
    reportCollisions(ctx, categories, 'categories', "give one of them a different 'to'")
    const rooms: Named[] = []
    const dupRooms = duplicates(ctx.plan.rooms.map.map((r) => ({ source: r.source, parts: splitPath(r.room) })))
    ctx.plan.rooms.map.forEach((r, i) => {
      const parts = splitPath(r.room)
      if (parts === undefined || r.action !== 'migrate') return
      // Import prefixes a room's name with its category path (docs/microsoft-facts.md#the-documented-preparation), and room names are
      // unique in a pool (identity <pool>\<room>).
      rooms.push({ path: ['rooms', 'map', i], field: r.rename === undefined ? 'room' : 'rename', label: `room '${r.room}' (${r.source})`, target: r.rename ?? flattenedName(parts), duplicate: dupRooms[i] ?? false })
    })
    reportCollisions(ctx, rooms, 'rooms', "rename one of them with 'rename'")
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
    ctx.plan.rooms.map.forEach((r, i) => {
      const parts = splitPath(r.room)
      if (parts === undefined) return
      let hit: number | undefined
      for (let n = 1; n < parts.length; n++) {
        const at = unexported.get(pathKey(r.source, parts.slice(0, n)))
        if (at !== undefined && (hit === undefined || at < hit)) hit = at
      }
      if (hit !== undefined) ctx.report({ path: ['rooms', 'map', i, 'room'], severity: 'error', message: `room '${r.room}' is in a category that is not exported (line ${ctx.lineOf(['rooms', 'categories', hit])}); remove this mapping or export the category` })
    })
  },
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 40)}...${text.slice(-15)}` : text
}
