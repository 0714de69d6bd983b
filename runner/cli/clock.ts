import type { Plan } from '../plan/types.js'
import type { Clock } from '../core/clock.js'
import { offsetClock, systemClock } from '../core/clock.js'
import { runtimeOf } from '../runtimes/index.js'

export { offsetClock } from '../core/clock.js'

/**
 * The run's clock. CUTOVER_CLOCK (an ISO instant) places a run anywhere in time, for rehearsals
 * and tests. Otherwise the runtime's clock policy decides: the lab's clock starts at the opening
 * of its downtime window (runtimes/lab/clock.ts); a real plan runs on the real time.
 */
export function runClock(plan: Plan, env: NodeJS.ProcessEnv = process.env, notBefore?: string): Clock {
  const fixed = env.CUTOVER_CLOCK
  if (fixed !== undefined && fixed !== '') {
    const ms = Date.parse(fixed)
    if (Number.isNaN(ms)) throw new Error(`CUTOVER_CLOCK is not an ISO 8601 instant: ${fixed}`)
    return offsetClock(ms)
  }
  return runtimeOf(plan.environment.shell).clock?.(plan, notBefore) ?? systemClock
}
