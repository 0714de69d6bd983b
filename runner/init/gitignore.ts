/** The `.gitignore` beside a plan: cutover keeps state, journal and artifacts in `.cutover/` there,
 * and none of it belongs in git (paths of the servers, inventories, export reports). */

export const IGNORE_LINE = '.cutover/'

/** Patterns that already keep `.cutover/` (beside the .gitignore) out of git. */
const IGNORING = new Set(['.cutover', '.cutover/', '/.cutover', '/.cutover/', '**/.cutover', '**/.cutover/', '.cutover/*', '.cutover/**', '/.cutover/*', '/.cutover/**'])

export type GitignoreChange =
  | { readonly action: 'created' | 'appended'; readonly text: string }
  | { readonly action: 'unchanged' }

/** What to do with a .gitignore whose text is `existing` (undefined: there is none). */
export function gitignoreChange(existing: string | undefined): GitignoreChange {
  if (existing === undefined) return { action: 'created', text: `${IGNORE_LINE}\n` }
  const lines = existing.split(/\r?\n/).map((l) => l.trim())
  if (lines.some((l) => IGNORING.has(l))) return { action: 'unchanged' }
  const eol = existing.includes('\r\n') ? '\r\n' : '\n'
  const separator = existing === '' || existing.endsWith('\n') ? '' : eol
  return { action: 'appended', text: `${existing}${separator}${IGNORE_LINE}${eol}` }
}
