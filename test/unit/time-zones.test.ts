import { describe, expect, it } from 'vitest'
import { formatLocal, parseLocalDateTime, zonedToUtc } from '../../runner/core/time.js'
import { windowAt } from '../../runner/core/window.js'
import { expectedInstant, localTimesAround, transitions, wallAt } from '../helpers/intl-oracle.js'

/**
 * zonedToUtc and formatLocal against an oracle that shares no code with them (test/helpers/
 * intl-oracle.ts: brute force over Intl), at every offset change of 2026-2028 in the zones far
 * from UTC where the hand-written conversion went wrong, plus a few facts checked by hand.
 */
const ZONES = ['America/Los_Angeles', 'America/Anchorage', 'Australia/Sydney', 'Pacific/Auckland', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/New_York', 'Europe/London', 'America/St_Johns', 'America/Santiago', 'Asia/Kathmandu', 'Pacific/Kiritimati']

function actual(local: string, zone: string) {
  const parsed = parseLocalDateTime(local)
  if (parsed === undefined) throw new Error(`bad ${local}`)
  const z = zonedToUtc(parsed, zone)
  return { iso: new Date(z.utcMs).toISOString(), skipped: z.skipped, ambiguous: z.ambiguous }
}

const table = ZONES.flatMap((zone) =>
  transitions(zone, Date.parse('2026-01-01T00:00Z'), Date.parse('2028-12-31T00:00Z')).flatMap((t) =>
    localTimesAround(t).map((local) => ({ zone, local, transition: new Date(t.atMs).toISOString() }))))

describe('local times around every DST change, against Intl', () => {
  it('finds the transitions it tests (two a year in each DST zone)', () => {
    // Los Angeles, Anchorage, Sydney, Auckland, Lord Howe, Chatham, New York, London, St Johns,
    // Santiago: 6 changes each in three years; Kathmandu and Kiritimati none.
    expect(new Set(table.map((r) => `${r.zone} ${r.transition}`)).size).toBe(60)
  })

  it.each(table)('$zone $local (change at $transition)', ({ zone, local }) => {
    expect(actual(local, zone)).toEqual(expectedInstant(local, zone))
  })

  it('formats instants as the zone\'s wall clock, every 15 minutes across each change', () => {
    for (const zone of ZONES) {
      for (const t of transitions(zone, Date.parse('2026-01-01T00:00Z'), Date.parse('2027-12-31T00:00Z'))) {
        for (let u = t.atMs - 3 * 3_600_000; u <= t.atMs + 3 * 3_600_000; u += 15 * 60_000) {
          expect(formatLocal(u, zone), `${zone} ${new Date(u).toISOString()}`).toBe(wallAt(u, zone).replace('T', ' '))
        }
      }
    }
  })
})

describe('local times: facts checked by hand', () => {
  it('the reported run: 03:45 PDT is inside a window written to open at 03:30 on the spring-forward day', () => {
    // Los Angeles, 2027-03-14: 02:00 PST jumps to 03:00 PDT (10:00Z); 03:30 PDT is 10:30Z, not 11:30Z.
    expect(actual('2027-03-14T03:30', 'America/Los_Angeles')).toEqual({ iso: '2027-03-14T10:30:00.000Z', skipped: false, ambiguous: false })
    expect(actual('2027-03-14T02:30', 'America/Los_Angeles')).toEqual({ iso: '2027-03-14T10:30:00.000Z', skipped: true, ambiguous: false })
    expect(actual('2026-11-01T01:30', 'America/Los_Angeles')).toEqual({ iso: '2026-11-01T08:30:00.000Z', skipped: false, ambiguous: true })
  })

  it('windowAt finds that run inside its window, not before it', () => {
    const plan = { name: 'p', downtime: { start: '2027-03-14T03:30', end: '2027-03-14T09:30', timezone: 'America/Los_Angeles', margin: '30m' } }
    const w = windowAt(plan, Date.parse('2027-03-14T10:45:00Z'))
    expect(w.state).toBe('open')
    expect(new Date(w.startMs).toISOString()).toBe('2027-03-14T10:30:00.000Z')
    expect(formatLocal(w.startMs, 'America/Los_Angeles')).toBe('2027-03-14 03:30')
  })

  it('Lord Howe moves by half an hour, Chatham at 02:45/03:45', () => {
    // Lord Howe, 2026-10-04: 02:00 +10:30 jumps to 02:30 +11; 02:15 does not exist.
    expect(actual('2026-10-04T02:15', 'Australia/Lord_Howe')).toEqual({ iso: '2026-10-03T15:45:00.000Z', skipped: true, ambiguous: false })
    // Lord Howe, 2027-04-04: 02:00 +11 falls back to 01:30 +10:30; 01:45 happens twice.
    expect(actual('2027-04-04T01:45', 'Australia/Lord_Howe')).toEqual({ iso: '2027-04-03T14:45:00.000Z', skipped: false, ambiguous: true })
    // Chatham, 2026-09-27: 02:45 +12:45 jumps to 03:45 +13:45; 03:00 does not exist.
    expect(actual('2026-09-27T03:00', 'Pacific/Chatham')).toEqual({ iso: '2026-09-26T14:15:00.000Z', skipped: true, ambiguous: false })
    expect(actual('2026-09-27T03:45', 'Pacific/Chatham')).toEqual({ iso: '2026-09-26T14:00:00.000Z', skipped: false, ambiguous: false })
  })
})
