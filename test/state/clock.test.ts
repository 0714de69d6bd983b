import { describe, expect, it } from 'vitest'
import { fixedClock, manualClock, systemClock } from '../../runner/core/clock.js'

describe('clocks', () => {
  it('systemClock tells the real time', () => {
    const before = Date.now()
    const now = systemClock.now().getTime()
    expect(now).toBeGreaterThanOrEqual(before)
    expect(now).toBeLessThanOrEqual(Date.now())
  })

  it('fixedClock always answers the same instant, as a fresh Date', () => {
    const clock = fixedClock('2026-12-05T22:00:00-05:00')
    const first = clock.now()
    first.setFullYear(2000)
    expect(clock.now().toISOString()).toBe('2026-12-06T03:00:00.000Z')
  })

  it('manualClock moves only when told', () => {
    const clock = manualClock('2026-12-05T22:00:00.000Z')
    clock.advance(90_000)
    expect(clock.now().toISOString()).toBe('2026-12-05T22:01:30.000Z')
    clock.set(new Date('2026-12-06T06:00:00.000Z'))
    expect(clock.now().toISOString()).toBe('2026-12-06T06:00:00.000Z')
  })

  it('refuses what is not a date-time', () => {
    expect(() => fixedClock('tomorrow')).toThrow(RangeError)
    expect(() => manualClock('2026-12-05').advance(Number.NaN)).toThrow(RangeError)
  })
})
