import type { Plan } from '../types.js'
import type { Path } from '../yaml.js'

/** Where a value sits: its key, and where its container sits (undefined for the plan itself). */
interface Place {
  readonly key: string | number
  readonly parent: Place | undefined
}

export interface PlanString {
  readonly value: string
  /** Its path from the plan's root: built when a rule asks for it, for a finding. */
  readonly path: Path
  /** Its key, and the key of what holds it: all isScript reads. */
  readonly key: string | number
  readonly parentKey: string | number | undefined
}

/** A string of the plan and its place. The path is not built as the plan is walked: a 10,000-room
 * plan has some 60,000 strings, a rule reports few, and a path each was a tenth of validating it. */
class FoundString implements PlanString {
  constructor(
    readonly value: string,
    private readonly place: Place,
  ) {}

  get path(): Path {
    const out: (string | number)[] = []
    for (let p: Place | undefined = this.place; p !== undefined; p = p.parent) out.push(p.key)
    return out.reverse()
  }

  get key(): string | number {
    return this.place.key
  }

  get parentKey(): string | number | undefined {
    return this.place.parent?.key
  }
}

const cache = new WeakMap<Plan, readonly PlanString[]>()

/** Every string of the plan with its place, walked once per plan for all the rules that read them. */
export function planStrings(plan: Plan): readonly PlanString[] {
  const hit = cache.get(plan)
  if (hit !== undefined) return hit
  const out: PlanString[] = []
  const walk = (value: unknown, place: Place | undefined): void => {
    if (typeof value === 'string') {
      if (place !== undefined) out.push(new FoundString(value, place))
    } else if (Array.isArray(value)) {
      const list: readonly unknown[] = value
      // Plain loops: forEach and Object.entries made a closure or a pair for each of 60,000 values.
      for (let i = 0; i < list.length; i++) if (i in list) walk(list[i], { key: i, parent: place })
    } else if (value !== null && typeof value === 'object') {
      const o = value as Readonly<Record<string, unknown>>
      for (const k of Object.keys(o)) walk(o[k], { key: k, parent: place })
    }
  }
  walk(plan, undefined)
  cache.set(plan, out)
  return out
}

/** Whether a string is an admin's own PowerShell script (decommission: powershell: script). */
export function isScript(s: PlanString): boolean {
  return s.key === 'script' && s.parentKey === 'powershell'
}
