import { parseDuration, parseLocalDateTime, zonedToUtc } from './time.js'

/** A plan's downtime as written: local date-times in an IANA zone, and the margin. */
export interface Downtime {
  readonly start: string
  readonly end: string
  readonly timezone: string
  readonly margin: string
}

export interface WindowInfo {
  readonly startMs: number
  readonly endMs: number
  /** The last instant a cutover step may start: end minus margin. */
  readonly lastStartMs: number
  readonly state: 'before' | 'open' | 'closing' | 'after'
}

/** Where `now` falls in the plan's downtime window, computed in the plan's zone (DST-correct).
 * `closing` means inside the window but past end - margin: no cutover step may start. */
export function windowAt(plan: { readonly name: string; readonly downtime: Downtime }, nowMs: number): WindowInfo {
  const d = plan.downtime
  const start = parseLocalDateTime(d.start)
  const end = parseLocalDateTime(d.end)
  const margin = parseDuration(d.margin)
  // A validated plan always parses; this guards callers that skipped validation.
  if (start === undefined || end === undefined || margin === undefined) throw new Error(`invalid downtime in plan ${plan.name}`)
  const startMs = zonedToUtc(start, d.timezone).utcMs
  const endMs = zonedToUtc(end, d.timezone).utcMs
  const lastStartMs = endMs - margin
  const state = nowMs < startMs ? 'before' : nowMs <= lastStartMs ? 'open' : nowMs < endMs ? 'closing' : 'after'
  return { startMs, endMs, lastStartMs, state }
}
