import type { Step } from '../core/step.js'
import { inputChanges } from './input-diff.js'
import type { InputChange } from './input-diff.js'

/** One step that differs between two versions of a plan: new, gone, or with other inputs. */
export type StepChange =
  | { readonly id: string; readonly title: string; readonly change: 'added' }
  | { readonly id: string; readonly title: string; readonly change: 'removed' }
  | { readonly id: string; readonly title: string; readonly change: 'changed'; readonly inputs: readonly InputChange[] }

/**
 * The plan as it is compiled (`now`) against another version of it compiled the same way
 * (`before`, e.g. at a git ref): each step of `now` that is new or whose fingerprint differs
 * (with the inputs that differ), in the order of `now`, then each step of `before` that is gone,
 * in its order. A step is the same step when its id is: ids are stable and name the kind. Pure.
 */
export function stepChanges(before: readonly Step[], now: readonly Step[]): StepChange[] {
  const old = new Map(before.map((s) => [s.id as string, s]))
  const ids = new Set(now.map((s) => s.id as string))
  const out: StepChange[] = []
  for (const s of now) {
    const b = old.get(s.id)
    if (b === undefined) out.push({ id: s.id, title: s.title, change: 'added' })
    else if (b.fingerprint !== s.fingerprint) out.push({ id: s.id, title: s.title, change: 'changed', inputs: inputChanges(b.input, s.input) })
  }
  for (const s of before) if (!ids.has(s.id)) out.push({ id: s.id, title: s.title, change: 'removed' })
  return out
}

/** What the preview says of the plan against a git ref (`cutover plan --against REF`). */
export interface AgainstRef {
  /** The ref as given (`origin/main`) and the commit it names. */
  readonly ref: string
  readonly commit: string
  /** The plan file's path from the repository's root, as `git show` was asked for it. */
  readonly path: string
  /** `found`: the plan at the ref was compiled and compared; `absent`: the commit has no such
   * file (a plan the change adds), so every step is new; `invalid`: the plan at the ref does not
   * validate, so its steps are not known (`invalid` says its first error). */
  readonly planAtRef: 'found' | 'absent' | 'invalid'
  readonly invalid?: string
  /** The steps that differ (none when `invalid`). */
  readonly steps: readonly StepChange[]
  /** How many steps are the same at the ref and now. */
  readonly unchanged: number
}
