import { Temporal } from 'temporal-polyfill'
import { describe, expect, it } from 'vitest'
import { formatLocal, zoneOffsetMs, zonedToUtc } from '../../runner/core/time.js'

/**
 * runner/core/time.ts reads the zone rules from Intl alone (validate no longer loads a Temporal
 * polyfill: issue 14). Temporal (temporal-polyfill, a devDependency kept as this oracle) was what
 * it used before: in every zone Intl knows, around every offset change of 2027, the instant,
 * the gap and overlap flags, the offset and the wall clock must be Temporal's. (A one-off run of
 * the same comparison over 2000-2100, 612,854 local times, found no difference; the closest two
 * changes of a zone there are 167 hours apart, so the one-day bracket of zonedToUtc holds.)
 */
// Before, inside and after a 30-minute or one-hour gap or overlap, and a day away.
const MINUTES_AROUND = [-25 * 60, -61, -1, 0, 1, 30, 59, 60, 61, 25 * 60]

interface Case {
  readonly zone: string
  readonly wall: Temporal.PlainDateTime
}

function casesOf(zone: string): Case[] {
  const out: Case[] = []
  const end = Date.parse('2028-01-01T00:00Z')
  let z: Temporal.ZonedDateTime | null = Temporal.ZonedDateTime.from({ year: 2027, month: 1, day: 1, timeZone: zone })
  for (;;) {
    z = z.getTimeZoneTransition('next')
    if (z === null || z.epochMilliseconds > end) return out
    const at = z.toPlainDateTime()
    for (const m of MINUTES_AROUND) out.push({ zone, wall: at.add({ minutes: m }) })
  }
}

function temporal({ zone, wall }: Case): { utcMs: number; skipped: boolean; ambiguous: boolean } {
  const chosen = wall.toZonedDateTime(zone, { disambiguation: 'compatible' })
  const twoReadings = wall.toZonedDateTime(zone, { disambiguation: 'earlier' }).epochMilliseconds !== wall.toZonedDateTime(zone, { disambiguation: 'later' }).epochMilliseconds
  const exists = Temporal.PlainDateTime.compare(chosen.toPlainDateTime(), wall) === 0
  return { utcMs: chosen.epochMilliseconds, skipped: twoReadings && !exists, ambiguous: twoReadings && exists }
}

const zones = Intl.supportedValuesOf('timeZone')
const cases = zones.flatMap(casesOf)

describe('zone arithmetic through Intl, against Temporal, in every zone', () => {
  it('tests every zone Intl knows and the changes of the DST zones', () => {
    expect(zones.length).toBeGreaterThan(400)
    expect(new Set(cases.map((c) => c.zone)).size).toBeGreaterThan(100)
  })

  it('gives Temporal\'s instant, gap and overlap, offset and wall clock around each change', () => {
    const wrong: string[] = []
    const pad = (n: number, width = 2): string => String(n).padStart(width, '0')
    for (const c of cases) {
      const { wall, zone } = c
      const want = temporal(c)
      const got = zonedToUtc({ year: wall.year, month: wall.month, day: wall.day, hour: wall.hour, minute: wall.minute, second: wall.second }, zone)
      if (got.utcMs !== want.utcMs || got.skipped !== want.skipped || got.ambiguous !== want.ambiguous) wrong.push(`${zone} ${wall.toString()}: ${JSON.stringify(got)}, Temporal ${JSON.stringify(want)}`)
      // A millisecond into the instant: the offset is the one of its whole second.
      const shown = Temporal.Instant.fromEpochMilliseconds(want.utcMs + 1).toZonedDateTimeISO(zone)
      if (zoneOffsetMs(want.utcMs + 1, zone) !== shown.offsetNanoseconds / 1e6) wrong.push(`${zone} offset at ${want.utcMs}`)
      const text = `${pad(shown.year, 4)}-${pad(shown.month)}-${pad(shown.day)} ${pad(shown.hour)}:${pad(shown.minute)}`
      if (formatLocal(want.utcMs, zone) !== text) wrong.push(`${zone} ${formatLocal(want.utcMs, zone)}, Temporal ${text}`)
    }
    expect(wrong.slice(0, 10)).toEqual([])
  })
})
