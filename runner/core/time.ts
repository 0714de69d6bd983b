/** Local wall-clock times in IANA zones, durations: what the downtime window is made of. */

export interface LocalDateTime {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly second: number
}

/** Parses `YYYY-MM-DDTHH:MM[:SS]`; undefined when a field is out of range (2026-02-30, 24:10). */
export function parseLocalDateTime(text: string): LocalDateTime | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text)
  if (m === null) return undefined
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number]
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  if (day < 1 || day > daysInMonth) return undefined
  return { year, month, day, hour, minute, second }
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    })
    formatters.set(zone, f)
  }
  return f
}

/** The zone's offset from UTC, in milliseconds, at the instant `utcMs`. */
export function zoneOffsetMs(utcMs: number, zone: string): number {
  const parts: Record<string, number> = {}
  for (const p of formatter(zone).formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value)
  const asUtc = Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
  return asUtc - Math.floor(utcMs / 1000) * 1000
}

export interface ZonedInstant {
  readonly utcMs: number
  /** The local time does not exist in the zone (clocks jump forward over it); it is taken as the
   * same instant the zone's clock shows just after the jump, as Windows and Java do. */
  readonly skipped: boolean
  /** The local time occurs twice (clocks fall back); the first (earlier) occurrence is taken. */
  readonly ambiguous: boolean
}

/** The UTC instant of a wall-clock time in a zone, DST-correct. */
export function zonedToUtc(local: LocalDateTime, zone: string): ZonedInstant {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second)
  // The offset a few hours either side brackets any DST change (none moves by more than 2 h).
  const before = zoneOffsetMs(wall - 6 * 3600_000, zone)
  const after = zoneOffsetMs(wall + 6 * 3600_000, zone)
  const candidates = [...new Set([before, after])]
    .map((off) => wall - off)
    .filter((utc) => utc - wall + zoneOffsetMs(utc, zone) === 0)
    .sort((a, b) => a - b)
  const first = candidates[0]
  if (first !== undefined) return { utcMs: first, skipped: false, ambiguous: candidates.length > 1 }
  // In a gap: read the wall time with the offset from before the jump.
  return { utcMs: wall - before, skipped: true, ambiguous: false }
}

/** An instant as the zone's wall clock shows it, `YYYY-MM-DD HH:MM`. */
export function formatLocal(utcMs: number, zone: string): string {
  const wall = new Date(utcMs + zoneOffsetMs(utcMs, zone)).toISOString()
  return `${wall.slice(0, 10)} ${wall.slice(11, 16)}`
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
