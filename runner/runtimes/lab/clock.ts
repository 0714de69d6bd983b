import type { Clock } from '../../core/clock.js'
import { offsetClock } from '../../core/clock.js'
import { windowAt } from '../../core/window.js'
import type { Plan } from '../../plan/types.js'

/** The lab clock: it starts at the opening of the plan's downtime window, so the demo runs at any
 * time of day, but never before what an earlier run recorded (`notBefore`): times in the journal
 * and the state only move forward. */
export function labClock(plan: Plan, notBefore: string | undefined): Clock {
  const last = notBefore === undefined ? Number.NaN : Date.parse(notBefore)
  const start = windowAt(plan, 0).startMs
  return offsetClock(Number.isNaN(last) ? start : Math.max(start, last + 1000))
}
