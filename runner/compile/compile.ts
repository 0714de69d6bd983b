import type { Platform } from '../core/platform.js'
import { PHASES } from '../core/step.js'
import type { Step } from '../core/step.js'
import type { Plan } from '../plan/types.js'
import { SLOTS } from '../steps/order.js'
import type { Placed } from '../steps/order.js'
import { checkpointStep } from '../steps/kinds/checkpoint.js'
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
  return withCheckpoints(placed.sort(byPlace).map((p) => p.step), plan)
}

/** The ids of the steps a plan's checkpoints may name: every step it compiles but checkpoints. */
export function checkpointTargets(plan: Plan, platform: Platform): string[] {
  return compile({ ...plan, checkpoints: [] }, platform).map((s) => s.id)
}

/** The steps with each of the plan's checkpoints right before the step it names (several before
 * one step: in the plan's order). A name no step has is an error validate reports first
 * (plan/rules/checkpoints.ts); compile refuses it too rather than drop a pause. */
function withCheckpoints(steps: readonly Step[], plan: Plan): Step[] {
  const out: Step[] = []
  for (const step of steps) {
    plan.checkpoints.forEach((c, i) => {
      if (c.before === step.id) out.push(checkpointStep(c, i + 1, step))
    })
    out.push(step)
  }
  plan.checkpoints.forEach((c, i) => {
    if (!steps.some((s) => s.id === c.before)) throw new Error(`checkpoint ${i + 1} is before ${c.before}, which is no step of the plan (cutover validate says which are)`)
  })
  return out
}
