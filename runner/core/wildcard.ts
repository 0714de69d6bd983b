/** A path as a literal inside a wildcard pattern, as [WildcardPattern]::Escape writes it: -Path
 * reads `[` `]` as a character range, so `\\fs01\Chat[2010]` would otherwise match nothing. */
export function escapeWildcard(path: string): string {
  return path.replace(/[`[\]*?]/g, (c) => `\`${c}`)
}

/** A folder's contents as a Copy-Item -Path wildcard: the folder (trailing separators dropped,
 * wildcard characters escaped), `sep`, then `*`. */
export function contentsPattern(folder: string, sep: '/' | '\\'): string {
  return `${escapeWildcard(folder.replace(/[\\/]+$/, ''))}${sep}*`
}

/** Joins a file name to a folder with `sep`, unless the folder already ends with it. */
export function joinWith(sep: '/' | '\\', dir: string, file: string): string {
  return dir.endsWith(sep) ? `${dir}${file}` : `${dir}${sep}${file}`
}
