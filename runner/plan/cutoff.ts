import { zonedToUtc } from '../core/time.js'
import type { Plan } from './types.js'

/**
 * The one instant content is cut at: `rooms.cutoff` (a date) at 00:00 in the downtime's time zone,
 * as ISO 8601 UTC (`2019-01-01T05:00:00Z`), or null without a cutoff. The export's -StartDate and
 * the inventory's message counts (tblChat.chatDate, .NET ticks UTC) both take this instant, so
 * "content since the cutoff" means the same messages to both.
 */
export function cutoffInstant(plan: Pick<Plan, 'rooms' | 'downtime'>): string | null {
  const date = plan.rooms.cutoff
  if (date === undefined) return null
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (m === null) throw new RangeError(`rooms.cutoff '${date}' is not a date (YYYY-MM-DD)`)
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  // 00:00 that does not exist (a DST change at midnight) is read as the first minute after it.
  const { utcMs } = zonedToUtc({ year, month, day, hour: 0, minute: 0, second: 0 }, plan.downtime.timezone)
  return new Date(utcMs).toISOString().replace(/\.000Z$/, 'Z')
}
