/** Local wall-clock times in IANA zones, durations: what the downtime window is made of. The zone
 * arithmetic is Temporal's (temporal-polyfill); nothing outside this file imports the library.
 * Its functional API (`temporal-polyfill/fns/*`, plain records instead of classes): the bundle
 * keeps only the functions used, a third of the class API's code, which `validate` loads at every
 * start (issue 14). Same library, same zone rules, same results. */
import * as Instant from 'temporal-polyfill/fns/Instant'
import * as PlainDateTime from 'temporal-polyfill/fns/PlainDateTime'
import * as ZonedDateTime from 'temporal-polyfill/fns/ZonedDateTime'

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

/** Whether `zone` is a zone both Intl and Temporal know, so every conversion below can use it. */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    Instant.toZonedDateTimeISO(Instant.fromEpochMilliseconds(0), zone)
    return true
  } catch {
    return false
  }
}

/** The zone's offset from UTC, in milliseconds, at the instant `utcMs`. */
export function zoneOffsetMs(utcMs: number, zone: string): number {
  return ZonedDateTime.offsetNanoseconds(Instant.toZonedDateTimeISO(Instant.fromEpochMilliseconds(utcMs), zone)) / 1_000_000
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

function plainDateTime(local: LocalDateTime): PlainDateTime.Record {
  return PlainDateTime.fromFields({ ...local }, { overflow: 'reject' })
}

/** The UTC instant of a wall-clock time in a zone, DST-correct (the zone rules are Temporal's, from
 * the tz database Node's Intl carries). */
export function zonedToUtc(local: LocalDateTime, zone: string): ZonedInstant {
  const wall = plainDateTime(local)
  // 'compatible' is the documented policy (later across a gap, earlier in an overlap); asking for
  // 'earlier' and 'later' too tells which case it was without a second source of zone rules.
  const chosen = PlainDateTime.toZonedDateTime(wall, zone, { disambiguation: 'compatible' })
  const earlier = PlainDateTime.toZonedDateTime(wall, zone, { disambiguation: 'earlier' })
  const later = PlainDateTime.toZonedDateTime(wall, zone, { disambiguation: 'later' })
  const twoReadings = earlier.epochMilliseconds !== later.epochMilliseconds
  const exists = PlainDateTime.compare(ZonedDateTime.toPlainDateTime(chosen), wall) === 0
  return { utcMs: chosen.epochMilliseconds, skipped: twoReadings && !exists, ambiguous: twoReadings && exists }
}

/** An instant as the zone's wall clock shows it, `YYYY-MM-DD HH:MM`. */
export function formatLocal(utcMs: number, zone: string): string {
  const z = Instant.toZonedDateTimeISO(Instant.fromEpochMilliseconds(utcMs), zone)
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
