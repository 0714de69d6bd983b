/** Legacy names as init writes them into a plan and its comments. */

/** A legacy path as plans write it: names joined by '/', a '/' inside a name written `\/`
 * (runner/plan/names.ts splitPath reads it back). */
export function pathText(parts: readonly string[]): string {
  return parts.map((p) => p.replace(/\//g, '\\/')).join('/')
}

/** `name` cut to at most `max` characters, at a word boundary when there is one: a suggestion an
 * admin can type, not an abbreviation. */
export function shortenedName(name: string, max: number): string {
  if (name.length <= max) return name
  const cut = name.slice(0, max)
  const space = cut.lastIndexOf(' ')
  const words = name[max] === ' ' ? cut : space > 0 ? cut.slice(0, space) : cut
  return words.replace(/[\s,;:.\-–—(]+$/u, '')
}

/** A long name in a comment: its start and its end, so it is recognisable and the line stays short. */
export function displayName(name: string, max = 60): string {
  return name.length <= max ? name : `${name.slice(0, max - 16)}…${name.slice(-15)}`
}
