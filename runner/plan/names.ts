/** Legacy category and room paths, and the names Microsoft's import gives them. */

/** Microsoft's limit on a Persistent Chat room or category name, parent names included. */
export const MAX_NAME_LENGTH = 256

/** Splits `Engineering/Build/Nightly` into its names; `\/` stands for a '/' inside a name.
 * Returns undefined when a name is empty (`A//B`, `/A`, `A/`). */
export function splitPath(path: string): readonly string[] | undefined {
  const hit = splitCache.get(path)
  if (hit !== undefined) return hit ?? undefined
  const parts = split(path)
  // Several rules split the same mapping paths; a big plan has tens of thousands of them. The
  // cached arrays are frozen, so no caller can change what the next one gets.
  if (splitCache.size > 100_000) splitCache.clear()
  splitCache.set(path, parts === undefined ? null : Object.freeze(parts))
  return parts
}

const splitCache = new Map<string, readonly string[] | null>()

function split(path: string): string[] | undefined {
  // Without a backslash there is no escaped '/': the names are what String.split gives.
  if (!path.includes('\\')) {
    const names = path.split('/')
    return names.some((p) => p.trim() === '') ? undefined : names
  }
  const parts: string[] = []
  let current = ''
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]
    if (ch === '\\' && path[i + 1] === '/') {
      current += '/'
      i++
    } else if (ch === '/') {
      parts.push(current)
      current = ''
    } else current += ch
  }
  parts.push(current)
  return parts.some((p) => p.trim() === '') ? undefined : parts
}

/** The single name a legacy category or room gets in Persistent Chat, which has no nesting: its
 * parent names prefixed (docs/microsoft-facts.md#the-documented-preparation: a subcategory's name gets its parent names as prefix; a room's
 * 256 characters include the prefixed parent names). Microsoft does not document the separator;
 * one character per level is what the limit counts, and a space is what this tool shows and
 * compares. */
export function flattenedName(parts: readonly string[]): string {
  return parts.join(' ')
}

/** flattenedName(parts).length, without building the name: the length limit is checked for
 * every entry of a plan. */
export function flattenedLength(parts: readonly string[]): number {
  let length = parts.length === 0 ? 0 : parts.length - 1
  for (const part of parts) length += part.length
  return length
}

/** Case-insensitive identity of a name: SQL Server's default collation compares names that way. */
export function nameKey(name: string): string {
  // ASCII is already in NFC; most names are, and the rules ask for keys of a 10,000-room plan's
  // names some 100,000 times (normalize costs as much as the rest).
  return ASCII.test(name) ? name.toLowerCase() : name.normalize('NFC').toLowerCase()
}

// eslint-disable-next-line no-control-regex
const ASCII = /^[\u0000-\u007f]*$/

/** Whether `path` is `prefix` or lies below it (names compared as nameKey does). */
export function isWithin(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => nameKey(p) === nameKey(path[i] ?? ''))
}

/** Whether a path is one of `prefixes` or lies below one (names compared as isWithin does). One
 * lookup per ancestor instead of a scan of the prefixes per path, so a caller that asks for every
 * room stays linear (10,000 rooms against 5,000 left-out categories took 13 s as a scan). */
export function withinAny(prefixes: readonly (readonly string[])[]): (path: readonly string[]) => boolean {
  // Most plans leave nothing out: no key to build for each of their rooms then.
  if (prefixes.length === 0) return () => false
  const keys = new Set(prefixes.map((p) => pathKey('', p)))
  // An empty prefix holds every path, as isWithin says.
  if (keys.has(pathKey('', []))) return () => true
  return (path) => path.some((_, n) => keys.has(pathKey('', path, n + 1)))
}

/** For each of `categories`, the rooms in it or below it (as isWithin says), in the rooms'
 * order: one lookup per ancestor of each room, not a scan of the rooms per category. */
export function roomsPerCategory<R extends { readonly categoryPath: readonly string[] }>(categories: readonly (readonly string[])[], rooms: readonly R[]): { readonly path: readonly string[]; readonly rooms: readonly R[] }[] {
  const byKey = new Map<string, R[]>(categories.map((c) => [pathKey('', c), []]))
  for (const r of rooms) {
    for (let n = 0; n <= r.categoryPath.length; n++) byKey.get(pathKey('', r.categoryPath, n))?.push(r)
  }
  return categories.map((path) => ({ path, rooms: byKey.get(pathKey('', path)) ?? [] }))
}

/** The identity of a legacy path in a source, for maps and sets: names compared as nameKey does,
 * separated by a character no name holds (a '/' may be part of a name, written \/ in plans).
 * `length` takes the path's first names only (its ancestor), without a copy of them. */
export function pathKey(source: string, parts: readonly string[], length = parts.length): string {
  // A loop, not map and join: the rules of a big plan ask for hundreds of thousands of keys.
  let key = source
  for (let i = 0; i < length; i++) key += `\u0000${nameKey(parts[i] ?? '')}`
  return key
}
