import type { Plan } from '../types.js'
import type { Path } from '../yaml.js'

export interface PlanString {
  readonly path: Path
  readonly value: string
}

const cache = new WeakMap<Plan, readonly PlanString[]>()

/** Every string of the plan with its path, walked once per plan for all the rules that read them
 * (a 10,000-room plan has some 60,000). */
export function planStrings(plan: Plan): readonly PlanString[] {
  const hit = cache.get(plan)
  if (hit !== undefined) return hit
  const out: PlanString[] = []
  const walk = (value: unknown, path: Path): void => {
    if (typeof value === 'string') out.push({ path, value })
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]))
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k])
  }
  walk(plan, [])
  cache.set(plan, out)
  return out
}

/** Whether a path is an admin's own PowerShell script (decommission: powershell: script). */
export function isScript(path: Path): boolean {
  return path.at(-1) === 'script' && path.at(-2) === 'powershell'
}
