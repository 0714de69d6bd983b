/** Where the engine gets the time, so tests can fix it or move it forward instead of waiting. */

export interface Clock {
  now(): Date
}

export interface ManualClock extends Clock {
  /** Moves the time forward by `ms` (backward when negative). */
  advance(ms: number): void
  /** Jumps to an instant. */
  set(instant: string | Date): void
}

function instant(value: string | Date): number {
  const ms = typeof value === 'string' ? Date.parse(value) : value.getTime()
  if (Number.isNaN(ms)) throw new RangeError(`cutover: not a date-time: ${String(value)}`)
  return ms
}

/** The real time. */
export const systemClock: Clock = { now: () => new Date() }

/** A clock that always answers `iso`. */
export function fixedClock(iso: string): Clock {
  const ms = instant(iso)
  return { now: () => new Date(ms) }
}

/** A clock that stays at `start` until told to move. */
export function manualClock(start: string | Date): ManualClock {
  let ms = instant(start)
  return {
    now: () => new Date(ms),
    advance: (by: number) => {
      if (!Number.isFinite(by)) throw new RangeError(`cutover: cannot advance a clock by ${by}`)
      ms += by
    },
    set: (to: string | Date) => {
      ms = instant(to)
    },
  }
}

/** A clock that starts at `startMs` and runs at real speed from now on. */
export function offsetClock(startMs: number): Clock {
  const offset = startMs - Date.now()
  return { now: () => new Date(Date.now() + offset) }
}
