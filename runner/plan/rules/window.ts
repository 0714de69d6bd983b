import { closest } from '../schema.js'
import { MIN_YEAR, formatDuration, formatLocal, isValidTimeZone, parseDuration, parseLocalDateTime, writtenYear, zonedToUtc } from '../../core/time.js'
import type { Rule, RuleContext } from './rule.js'

/** A window longer than this is more likely a typo in a date than a plan. */
export const LONG_WINDOW_HOURS = 72

interface Window {
  readonly startMs: number
  readonly endMs: number
}

/** The window in UTC, or undefined when another rule reports why it cannot be computed. */
function windowOf(ctx: RuleContext): Window | undefined {
  const d = ctx.plan.downtime
  const start = parseLocalDateTime(d.start)
  const end = parseLocalDateTime(d.end)
  if (start === undefined || end === undefined || !isValidTimeZone(d.timezone)) return undefined
  return { startMs: zonedToUtc(start, d.timezone).utcMs, endMs: zonedToUtc(end, d.timezone).utcMs }
}

export const windowTime: Rule = {
  id: 'window-time',
  describe: `start and end are real dates and times, from ${MIN_YEAR} on`,
  check({ plan, report }) {
    for (const key of ['start', 'end'] as const) {
      const text = plan.downtime[key]
      const year = writtenYear(text)
      if (year !== undefined && year < MIN_YEAR) report({ path: ['downtime', key], severity: 'error', message: `downtime.${key} '${text}' is in the year ${year}, before ${MIN_YEAR}; write the year in full (e.g. 2026)` })
      else if (parseLocalDateTime(text) === undefined) report({ path: ['downtime', key], severity: 'error', message: `downtime.${key} '${text}' is not a real date and time (check the month, day and hour)` })
    }
  },
}

export const unknownTimeZone: Rule = {
  id: 'unknown-timezone',
  describe: 'the time zone is a known IANA zone',
  check({ plan, report }) {
    const zone = plan.downtime.timezone
    if (isValidTimeZone(zone)) return
    const guess = closest(zone, Intl.supportedValuesOf('timeZone'))
    report({ path: ['downtime', 'timezone'], severity: 'error', message: `unknown time zone '${zone}'; use an IANA name such as America/New_York${guess === undefined ? '' : ` (did you mean '${guess}'?)`}` })
  },
}

export const windowDst: Rule = {
  id: 'window-dst',
  describe: 'start and end are unambiguous local times',
  check({ plan, report }) {
    const d = plan.downtime
    if (!isValidTimeZone(d.timezone)) return
    for (const key of ['start', 'end'] as const) {
      const local = parseLocalDateTime(d[key])
      if (local === undefined) continue
      const z = zonedToUtc(local, d.timezone)
      const wall = formatLocal(z.utcMs, d.timezone)
      const utc = new Date(z.utcMs).toISOString().slice(0, 16).replace('T', ' ')
      if (z.skipped) report({ path: ['downtime', key], severity: 'warning', message: `downtime.${key} ${d[key]} does not exist in ${d.timezone} (the clocks jump forward over it); it is read as ${wall} local time (${utc} UTC): write that time to make it plain` })
      else if (z.ambiguous) report({ path: ['downtime', key], severity: 'warning', message: `downtime.${key} ${d[key]} happens twice in ${d.timezone} (the clocks go back); the first one is used (${utc} UTC)` })
    }
  },
}

export const windowOrder: Rule = {
  id: 'window-order',
  describe: 'the window ends after it starts',
  check(ctx) {
    const w = windowOf(ctx)
    if (w === undefined || w.endMs > w.startMs) return
    ctx.report({ path: ['downtime', 'end'], severity: 'error', message: `downtime.end ${ctx.plan.downtime.end} is not after downtime.start ${ctx.plan.downtime.start}; the window has no time in it` })
  },
}

export const windowLength: Rule = {
  id: 'window-length',
  describe: `a window longer than ${LONG_WINDOW_HOURS} h is suspicious`,
  check(ctx) {
    const w = windowOf(ctx)
    if (w === undefined || w.endMs - w.startMs <= LONG_WINDOW_HOURS * 3600_000) return
    ctx.report({ path: ['downtime', 'end'], severity: 'warning', message: `the downtime window lasts ${formatDuration(w.endMs - w.startMs)}, more than ${LONG_WINDOW_HOURS}h; check the dates` })
  },
}

export const marginTooLong: Rule = {
  id: 'margin-too-long',
  describe: 'the margin leaves time to start the cutover',
  check(ctx) {
    const w = windowOf(ctx)
    const margin = parseDuration(ctx.plan.downtime.margin)
    if (w === undefined || margin === undefined || w.endMs <= w.startMs) return
    if (margin >= w.endMs - w.startMs) ctx.report({ path: ['downtime', 'margin'], severity: 'error', message: `margin ${ctx.plan.downtime.margin} is not shorter than the ${formatDuration(w.endMs - w.startMs)} window, so no cutover step could ever start; shorten the margin or widen the window` })
  },
}

export const cutoffAfterWindow: Rule = {
  id: 'cutoff-after-window',
  describe: 'the content cutoff is before the downtime',
  check({ plan, report }) {
    const cutoff = plan.rooms.cutoff
    if (cutoff !== undefined && cutoff > plan.downtime.start.slice(0, 10)) report({ path: ['rooms', 'cutoff'], severity: 'warning', message: `rooms.cutoff ${cutoff} is after the downtime starts (${plan.downtime.start}): no message would be exported` })
  },
}
