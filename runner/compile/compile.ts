import type { Platform } from '../core/platform.js'
import { PHASES } from '../core/step.js'
import type { Step } from '../core/step.js'
import type { Plan } from '../plan/types.js'
import { SLOTS } from '../steps/order.js'
import type { Placed } from '../steps/order.js'
import { KINDS } from '../steps/registry.js'

/** Sort key of a placed step: phase, then lane (steps of no lane after every lane), then the
 * slot's place in the documented order, then its order within the slot. */
function key(p: Placed<Step>): readonly number[] {
  return [PHASES.indexOf(p.step.phase), p.lane ?? Number.MAX_SAFE_INTEGER, SLOTS.indexOf(p.slot), p.seq ?? 0]
}

function byPlace(a: Placed<Step>, b: Placed<Step>): number {
  const ka = key(a)
  const kb = key(b)
  for (let i = 0; i < ka.length; i++) {
    const d = (ka[i] ?? 0) - (kb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

/**
 * The plan as the ordered list of steps that `apply` runs and `plan` previews: every kind's steps
 * (steps/kinds/), sorted stably by the place each kind gave them (steps/order.ts, Microsoft's
 * documented order). Pure: same plan and platform, same steps.
 */
export function compile(plan: Plan, platform: Platform): Step[] {
  const placed: Placed<Step>[] = KINDS.flatMap((kind): readonly Placed<Step>[] => kind.fromPlan(plan, platform))
  // Array.prototype.sort is stable: steps of the same place keep the order their kind made them.
  return placed.sort(byPlace).map((p) => p.step)
}
