import { hostname, tmpdir, userInfo } from 'node:os'

/** What a report holds that changes from run to run, replaced by placeholders. */
export interface Volatile {
  /** The case's temp folder. */
  readonly dir: string
  /** Instants fixed by the plan (the window's bounds), kept as they are. */
  readonly keep: readonly string[]
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * Replaces what moves with the clock and the machine: instants (but the window's, fixed by the
 * plan), elapsed times (`243 ms`, `1.2 s`) and Mermaid's `1s`, temp paths, pids, user and host.
 * Everything else comes from the plan and the seeded lab and must be the same on every run.
 */
export function normalise(text: string, v: Volatile): string {
  const keep = new Set(v.keep.flatMap((k) => [k, k.slice(0, 19)]))
  const user = userInfo().username
  const host = hostname()
  return text
    .replaceAll(v.dir, '<dir>')
    .replace(new RegExp(`${escapeRe(tmpdir())}/[\\w.-]+`, 'g'), '<tmp>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z?/g, (m) => (keep.has(m) ? m : '<time>'))
    // Local times to the second (the report's, beside UTC); the window's are to the minute.
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, '<local>')
    .replace(/\b\d+(?:\.\d+)? (?:ms|s|min|h)\b/g, '<took>')
    .replace(/(<time>, )\d+s$/gm, '$1<n>s')
    .replace(/\b(pid|stalePid)([=:] ?"?)\d+/gi, '$1$2<pid>')
    .replaceAll(`${user}@${host}`, '<user>@<host>')
    .replaceAll(`staleHost=${host}`, 'staleHost=<host>')
}
