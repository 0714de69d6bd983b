import { describe, expect, it } from 'vitest'
import { formatDuration, parseDuration, parseLocalDateTime, zonedToUtc } from '../../runner/core/time.js'

function utc(local: string, zone: string) {
  const parsed = parseLocalDateTime(local)
  if (parsed === undefined) throw new Error(`bad ${local}`)
  const z = zonedToUtc(parsed, zone)
  return { iso: new Date(z.utcMs).toISOString(), skipped: z.skipped, ambiguous: z.ambiguous }
}

describe('local times in IANA zones', () => {
  it('converts ordinary winter and summer times', () => {
    expect(utc('2026-12-05T22:00', 'America/New_York')).toEqual({ iso: '2026-12-06T03:00:00.000Z', skipped: false, ambiguous: false })
    expect(utc('2026-07-01T22:00', 'America/New_York')).toEqual({ iso: '2026-07-02T02:00:00.000Z', skipped: false, ambiguous: false })
    expect(utc('2026-07-01T08:00', 'Asia/Tokyo').iso).toBe('2026-06-30T23:00:00.000Z')
    expect(utc('2026-07-01T08:00', 'UTC').iso).toBe('2026-07-01T08:00:00.000Z')
    expect(utc('2026-07-01T08:00', 'Asia/Kolkata').iso).toBe('2026-07-01T02:30:00.000Z')
  })

  it('reads a time in the spring-forward gap with the offset before the jump', () => {
    // New York, 2027-03-14: 02:00 EST jumps to 03:00 EDT; 02:30 does not exist.
    expect(utc('2027-03-14T02:30', 'America/New_York')).toEqual({ iso: '2027-03-14T07:30:00.000Z', skipped: true, ambiguous: false })
  })

  it('takes the first of two fall-back occurrences and says it is ambiguous', () => {
    // New York, 2026-11-01: 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
    expect(utc('2026-11-01T01:30', 'America/New_York')).toEqual({ iso: '2026-11-01T05:30:00.000Z', skipped: false, ambiguous: true })
  })

  it('measures a window across a DST change in real hours', () => {
    const start = utc('2027-03-27T20:00', 'Europe/London')
    const end = utc('2027-03-28T08:00', 'Europe/London')
    expect((Date.parse(end.iso) - Date.parse(start.iso)) / 3600_000).toBe(11)
  })

  it('rejects dates and times that do not exist on any calendar', () => {
    for (const bad of ['2026-02-30T10:00', '2026-13-01T10:00', '2026-12-01T24:00', '2026-12-01T10:60', '2026-12-01', '2026-12-01T10:00Z']) {
      expect(parseLocalDateTime(bad), bad).toBeUndefined()
    }
    expect(parseLocalDateTime('2028-02-29T23:59:59')).toEqual({ year: 2028, month: 2, day: 29, hour: 23, minute: 59, second: 59 })
  })

  it('parses and formats durations', () => {
    expect(parseDuration('30m')).toBe(30 * 60_000)
    expect(parseDuration('1h30m')).toBe(90 * 60_000)
    expect(parseDuration('2h')).toBe(2 * 3600_000)
    expect(parseDuration('')).toBeUndefined()
    expect(parseDuration('30s')).toBeUndefined()
    expect(formatDuration(90 * 60_000)).toBe('1h30m')
    expect(formatDuration(45 * 60_000)).toBe('45m')
    expect(formatDuration(3 * 3600_000)).toBe('3h')
  })
})
