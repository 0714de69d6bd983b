/** Local wall-clock times in IANA zones, durations: what the downtime window is made of. The zone
 * rules are Node's (Intl): `validate` checks every plan's window, and loading a Temporal polyfill
 * for it cost more than the rest of validating a small plan (issue 14). */

export interface LocalDateTime {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly second: number
}

/** The first year a downtime may be in: no Group Chat migration happened before Lync 2010, and an
 * earlier year is a typo (0026 for 2026) that JavaScript's Date would silently read as 1926. */
export const MIN_YEAR = 2000

/** The year of a `YYYY-MM-DDTHH:MM[:SS]` text, read without any calendar; undefined if malformed. */
export function writtenYear(text: string): number | undefined {
  const m = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?$/.exec(text)
  return m === null ? undefined : Number(m[1])
}

/** Parses `YYYY-MM-DDTHH:MM[:SS]`; undefined when a field is out of range (2026-02-30, 24:10) or the
 * year is before MIN_YEAR. */
export function parseLocalDateTime(text: string): LocalDateTime | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text)
  if (m === null) return undefined
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number]
  if (year < MIN_YEAR) return undefined
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  if (day < 1 || day > daysInMonth) return undefined
  return { year, month, day, hour, minute, second }
}

const DAY_MS = 86_400_000

/** One formatter per zone that shows the zone's wall clock to the second, as numbers. Creating
 * the first costs ICU's zone data (about 15 ms); each later reading is a few microseconds. */
const wallClocks = new Map<string, Intl.DateTimeFormat>()

function wallClock(zone: string): Intl.DateTimeFormat {
  let f = wallClocks.get(zone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', era: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    })
    wallClocks.set(zone, f)
  }
  return f
}

/** The epoch milliseconds of a wall-clock time read as if it were UTC (years below 100 kept as
 * written, which Date.UTC would move to the 1900s). */
function wallAsUtc(local: LocalDateTime): number {
  const d = new Date(Date.UTC(2000, local.month - 1, local.day, local.hour, local.minute, local.second))
  d.setUTCFullYear(local.year)
  return d.getTime()
}

/** The zone's wall clock at the instant `utcMs`, to the second. */
function wallAt(utcMs: number, zone: string): LocalDateTime {
  const p: Record<string, string> = {}
  for (const part of wallClock(zone).formatToParts(new Date(utcMs))) p[part.type] = part.value
  const year = Number(p.year)
  return { year: p.era === 'BC' ? 1 - year : year, month: Number(p.month), day: Number(p.day), hour: Number(p.hour), minute: Number(p.minute), second: Number(p.second) }
}

/** Whether `zone` is a zone Intl knows (and so Node's tz database), so every conversion below can use it. */
export function isValidTimeZone(zone: string): boolean {
  try {
    wallClock(zone)
    return true
  } catch {
    return false
  }
}

/** The zone's offset from UTC, in milliseconds, at the instant `utcMs`. */
export function zoneOffsetMs(utcMs: number, zone: string): number {
  // The wall clock shows whole seconds: compare it with the instant's whole second.
  const second = Math.floor(utcMs / 1000) * 1000
  return wallAsUtc(wallAt(second, zone)) - second
}

export interface ZonedInstant {
  readonly utcMs: number
  /** The local time does not exist in the zone (clocks jump forward over it); it is read with the
   * offset from before the jump, so it lands as far after the jump as it was into the gap
   * (02:30 in a 02:00→03:00 gap is 03:30), as Windows, Java and Temporal's 'compatible' do. */
  readonly skipped: boolean
  /** The local time occurs twice (clocks fall back); the first (earlier) occurrence is taken. */
  readonly ambiguous: boolean
}

/**
 * The UTC instant of a wall-clock time in a zone, DST-correct (the zone rules are the tz database
 * Node's Intl carries). Temporal's way (GetPossibleEpochNanoseconds and the 'compatible'
 * disambiguation of the proposal): the offsets in force a day before and a day after the wall time
 * read as UTC are the only ones it can have while a zone never changes its offset twice within two
 * days (from 2000 on, the closest two changes of any zone are a week apart); each gives a candidate
 * instant, real when the zone's clock shows the wall time then. Two real ones: it happens twice,
 * the earlier is taken. None: it is in a gap, read with the offset from before it. (A bracket of a
 * few hours, tried before, missed changes in zones far from UTC.) test/unit/time-zones.test.ts and
 * time-vs-temporal.test.ts hold it to an Intl brute force and to Temporal itself.
 */
export function zonedToUtc(local: LocalDateTime, zone: string): ZonedInstant {
  const wall = wallAsUtc(local)
  const before = zoneOffsetMs(wall - DAY_MS, zone)
  const after = zoneOffsetMs(wall + DAY_MS, zone)
  const real = [...new Set([before, after])].map((offset) => wall - offset).filter((utc) => wall - utc === zoneOffsetMs(utc, zone)).sort((a, b) => a - b)
  const first = real[0]
  if (first === undefined) return { utcMs: wall - before, skipped: true, ambiguous: false }
  return { utcMs: first, skipped: false, ambiguous: real.length > 1 }
}

/** An instant as the zone's wall clock shows it, `YYYY-MM-DD HH:MM`. */
export function formatLocal(utcMs: number, zone: string): string {
  const z = wallAt(utcMs, zone)
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0')
  return `${pad(z.year, 4)}-${pad(z.month)}-${pad(z.day)} ${pad(z.hour)}:${pad(z.minute)}`
}

/** `30m`, `1h`, `1h30m` → milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const m = /^(?=\d)(?:(\d+)h)?(?:(\d+)m)?$/.exec(text)
  if (m === null) return undefined
  return (Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60_000
}

export function formatDuration(ms: number): string {
  const totalMinutes = Math.round(ms / 60_000)
  const h = Math.floor(totalMinutes / 60)
  const m = totalMinutes % 60
  return h === 0 ? `${m}m` : m === 0 ? `${h}h` : `${h}h${m}m`
}

/** An elapsed time or a timeout as a person reads it: `2 h`, `1.5 min`, `12.3 s`, `20 ms`. */
export function formatElapsed(ms: number): string {
  const round = (n: number): number => Math.round(n * 10) / 10
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`
  if (ms >= 60_000) return `${round(ms / 60_000)} min`
  if (ms >= 1000) return `${round(ms / 1000)} s`
  return `${ms} ms`
}
