import { compile } from '../compile/compile.js'
import { forecastStep } from '../compile/estimates.js'
import type { Platform } from '../core/platform.js'
import { formatLocal, parseDuration, zonedToUtc } from '../core/time.js'
import type { Downtime, Plan } from '../plan/types.js'
import type { Inventory } from '../sql/inventory.js'

/** The margin init writes: cutover's default (no cutover step starts with less than this left). */
export const INIT_MARGIN = '30m'

/** Local hour the placeholder window opens: late evening, when chat is quiet. */
const START_HOUR = 22
const SATURDAY = 6

/** Minutes the cutover steps of `plan` are expected to take with these inventories: the same
 * per-step figures `cutover plan` shows (each kind's forecast, runner/steps/kinds/), before any run is recorded. */
export function forecastMinutes(plan: Plan, platform: Platform, inventories: ReadonlyMap<string, Inventory>): number {
  const known = { inventory: (source: string) => inventories.get(source) }
  return compile(plan, platform).reduce((sum, step) => sum + (forecastStep(step, undefined, known)?.minutes ?? 0), 0)
}

/** Whole hours that hold the forecast plus the margin (at least one). */
export function windowHours(forecast: number, margin: string): number {
  return Math.max(1, Math.ceil((forecast + (parseDuration(margin) ?? 0) / 60_000) / 60))
}

/** The local date (YYYY-MM-DD) of the first Saturday after `now`'s date in the zone: at least a
 * day away, so that the plan can be reviewed before it. */
export function nextSaturday(now: Date, zone: string): string {
  const today = formatLocal(now.getTime(), zone).slice(0, 10)
  const [y, m, d] = today.split('-').map(Number) as [number, number, number]
  const day = new Date(Date.UTC(y, m - 1, d))
  const ahead = (SATURDAY - day.getUTCDay() + 7) % 7 || 7
  return new Date(day.getTime() + ahead * 86_400_000).toISOString().slice(0, 10)
}

/** A downtime window to agree on: next Saturday 22:00 local time, `hours` long (real hours, so a
 * daylight-saving change inside it neither steals nor adds one). */
export function placeholderWindow(now: Date, zone: string, hours: number): Downtime {
  const date = nextSaturday(now, zone)
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const start = zonedToUtc({ year: y, month: m, day: d, hour: START_HOUR, minute: 0, second: 0 }, zone).utcMs
  const local = (ms: number) => formatLocal(ms, zone).replace(' ', 'T')
  return { start: local(start), end: local(start + hours * 3_600_000), timezone: zone, margin: INIT_MARGIN }
}
