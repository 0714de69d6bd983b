import { describe, expect, it } from 'vitest'
import { windowAt } from '../../runner/core/window.js'
import type { Downtime } from '../../runner/plan/types.js'
import { labPlan } from '../helpers/engine-fakes.js'

const iso = (ms: number) => new Date(ms).toISOString()

function bounds(downtime: Downtime) {
  const w = windowAt(labPlan(downtime), 0)
  return { start: iso(w.startMs), end: iso(w.endMs), lastStart: iso(w.lastStartMs) }
}

function stateAt(downtime: Downtime, at: string) {
  return windowAt(labPlan(downtime), Date.parse(at)).state
}

describe('windowAt: where an instant falls in the downtime window', () => {
  const lab: Downtime = { start: '2026-12-05T22:00', end: '2026-12-06T06:00', timezone: 'America/New_York', margin: '30m' }

  it('computes the window in the plan zone (EST in December)', () => {
    expect(bounds(lab)).toEqual({ start: '2026-12-06T03:00:00.000Z', end: '2026-12-06T11:00:00.000Z', lastStart: '2026-12-06T10:30:00.000Z' })
  })

  it('is before / open / closing / after at the exact boundaries', () => {
    expect(stateAt(lab, '2026-12-06T02:59:59.999Z')).toBe('before')
    expect(stateAt(lab, '2026-12-06T03:00:00.000Z')).toBe('open')
    expect(stateAt(lab, '2026-12-06T10:30:00.000Z')).toBe('open')
    expect(stateAt(lab, '2026-12-06T10:30:00.001Z')).toBe('closing')
    expect(stateAt(lab, '2026-12-06T10:59:59.999Z')).toBe('closing')
    expect(stateAt(lab, '2026-12-06T11:00:00.000Z')).toBe('after')
  })

  it('across the US spring-forward night: 01:00 EST to 05:00 EDT is 3 real hours', () => {
    const dst: Downtime = { start: '2027-03-14T01:00', end: '2027-03-14T05:00', timezone: 'America/New_York', margin: '30m' }
    expect(bounds(dst)).toEqual({ start: '2027-03-14T06:00:00.000Z', end: '2027-03-14T09:00:00.000Z', lastStart: '2027-03-14T08:30:00.000Z' })
    expect(stateAt(dst, '2027-03-14T05:59:59.999Z')).toBe('before')
    expect(stateAt(dst, '2027-03-14T06:00:00.000Z')).toBe('open')
    expect(stateAt(dst, '2027-03-14T08:30:00.000Z')).toBe('open')
    expect(stateAt(dst, '2027-03-14T08:30:00.001Z')).toBe('closing')
    expect(stateAt(dst, '2027-03-14T09:00:00.000Z')).toBe('after')
  })

  it('across the US fall-back night: 00:00 EDT to 03:00 EST is 4 real hours', () => {
    const dst: Downtime = { start: '2027-11-07T00:00', end: '2027-11-07T03:00', timezone: 'America/New_York', margin: '30m' }
    expect(bounds(dst)).toEqual({ start: '2027-11-07T04:00:00.000Z', end: '2027-11-07T08:00:00.000Z', lastStart: '2027-11-07T07:30:00.000Z' })
    // 01:30 happens twice that night (05:30Z EDT, 06:30Z EST): both are inside the window.
    expect(stateAt(dst, '2027-11-07T05:30:00.000Z')).toBe('open')
    expect(stateAt(dst, '2027-11-07T06:30:00.000Z')).toBe('open')
    expect(stateAt(dst, '2027-11-07T07:30:00.000Z')).toBe('open')
    expect(stateAt(dst, '2027-11-07T07:30:00.001Z')).toBe('closing')
    expect(stateAt(dst, '2027-11-07T08:00:00.000Z')).toBe('after')
  })

  it('an end in the repeated fall-back hour is its first occurrence (the shorter, safer window)', () => {
    const dst: Downtime = { start: '2027-11-06T22:00', end: '2027-11-07T01:30', timezone: 'America/New_York', margin: '15m' }
    expect(bounds(dst)).toEqual({ start: '2027-11-07T02:00:00.000Z', end: '2027-11-07T05:30:00.000Z', lastStart: '2027-11-07T05:15:00.000Z' })
    expect(stateAt(dst, '2027-11-07T05:30:00.000Z')).toBe('after')
    expect(stateAt(dst, '2027-11-07T06:00:00.000Z')).toBe('after')
  })

  it('a start in the spring-forward gap opens at the instant the clocks show after the jump', () => {
    const gap: Downtime = { start: '2027-03-14T02:30', end: '2027-03-14T06:00', timezone: 'America/New_York', margin: '1h' }
    // 02:30 does not exist: read with EST it is 07:30Z (03:30 EDT); 06:00 EDT is 10:00Z.
    expect(bounds(gap)).toEqual({ start: '2027-03-14T07:30:00.000Z', end: '2027-03-14T10:00:00.000Z', lastStart: '2027-03-14T09:00:00.000Z' })
  })

  it('a European fall-back night (Europe/Berlin, 2027-10-31) and a zone with a half-hour offset', () => {
    const berlin: Downtime = { start: '2027-10-31T01:00', end: '2027-10-31T05:00', timezone: 'Europe/Berlin', margin: '1h30m' }
    // 01:00 CEST = 23:00Z; 05:00 CET = 04:00Z: 5 real hours.
    expect(bounds(berlin)).toEqual({ start: '2027-10-30T23:00:00.000Z', end: '2027-10-31T04:00:00.000Z', lastStart: '2027-10-31T02:30:00.000Z' })
    const kolkata: Downtime = { start: '2027-01-09T00:00', end: '2027-01-09T04:00', timezone: 'Asia/Kolkata', margin: '0m' }
    expect(bounds(kolkata)).toEqual({ start: '2027-01-08T18:30:00.000Z', end: '2027-01-08T22:30:00.000Z', lastStart: '2027-01-08T22:30:00.000Z' })
    expect(stateAt(kolkata, '2027-01-08T22:30:00.000Z')).toBe('open')
    expect(stateAt(kolkata, '2027-01-08T22:30:00.001Z')).toBe('after')
  })

  it('throws on a downtime a validated plan could not have', () => {
    expect(() => windowAt(labPlan({ margin: '30 minutes' }), 0)).toThrow(/invalid downtime/)
  })
})
