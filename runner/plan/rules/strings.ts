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
    readonly key: string | number,
    private readonly parent: Place | undefined,
  ) {}

  get path(): Path {
    const out: (string | number)[] = [this.key]
    for (let p = this.parent; p !== undefined; p = p.parent) out.push(p.key)
    return out.reverse()
  }

  get parentKey(): string | number | undefined {
    return this.parent?.key
  }
}

const cache = new WeakMap<Plan, readonly PlanString[]>()

/** Every string of the plan with its place, walked once per plan for all the rules that read them. */
export function planStrings(plan: Plan): readonly PlanString[] {
  const hit = cache.get(plan)
  if (hit !== undefined) return hit
  const out: PlanString[] = []
  // `place` is where `value` sits; a string is recorded with its key, a container walked with a
  // place of its own (one object per container, not per string).
  const visit = (value: unknown, key: string | number, parent: Place | undefined): void => {
    if (typeof value === 'string') out.push(new FoundString(value, key, parent))
    else if (value !== null && typeof value === 'object') walk(value, { key, parent })
  }
  const walk = (value: object, place: Place | undefined): void => {
    if (Array.isArray(value)) {
      const list: readonly unknown[] = value
      // Plain loops: forEach and Object.entries made a closure or a pair for each of 60,000 values.
      for (let i = 0; i < list.length; i++) if (i in list) visit(list[i], i, place)
    } else {
      const o = value as Readonly<Record<string, unknown>>
      for (const k of Object.keys(o)) visit(o[k], k, place)
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
