import type { Plan } from '../plan/types.js'
import { windowAt } from '../core/window.js'
import type { Clock } from '../core/clock.js'
import { systemClock } from '../core/clock.js'

/** A clock that starts at `startMs` and runs at real speed from now on. */
export function offsetClock(startMs: number): Clock {
  const offset = startMs - Date.now()
  return { now: () => new Date(Date.now() + offset) }
}

/**
 * The run's clock. CUTOVER_CLOCK (an ISO instant) places a run anywhere in time, for rehearsals
 * and tests. Otherwise a lab plan runs on the lab clock, which starts at the opening of its
 * downtime window so the demo runs at any time of day; a real plan runs on the real time.
 */
export function runClock(plan: Plan, env: NodeJS.ProcessEnv = process.env, notBefore?: string): Clock {
  const fixed = env.CUTOVER_CLOCK
  if (fixed !== undefined && fixed !== '') {
    const ms = Date.parse(fixed)
    if (Number.isNaN(ms)) throw new Error(`CUTOVER_CLOCK is not an ISO 8601 instant: ${fixed}`)
    return offsetClock(ms)
  }
  if (plan.environment.shell === 'lab') {
    // Each run starts at the window's opening, but never before what an earlier run recorded:
    // times in the journal and the state only move forward.
    const last = notBefore === undefined ? Number.NaN : Date.parse(notBefore)
    const start = windowAt(plan, 0).startMs
    return offsetClock(Number.isNaN(last) ? start : Math.max(start, last + 1000))
  }
  return systemClock
}
