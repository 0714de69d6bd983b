import { stepId } from '../core/step.js'
import type { StepId } from '../core/step.js'
import type { DecommissionStep, Plan } from '../plan/types.js'
import type { Placed } from './order.js'

/** The kinds a `decommission:` entry can be: the entry's one key. */
export type DecommissionKind = DecommissionStep extends infer D ? (D extends unknown ? keyof D & string : never) : never

type EntryOf<K extends DecommissionKind> = Extract<DecommissionStep, Readonly<Record<K, unknown>>>[K]

/** The id of the `n`th (from 1) decommission entry of the plan, e.g. `decommission.2.manual`. */
export function decommissionId<K extends DecommissionKind>(kind: K, n: number): StepId<K> {
  return stepId(kind, `decommission.${n}.${kind}`)
}

/** The plan's decommission entries of one kind, each placed in the plan's order (`seq`), with its
 * number (from 1) among all entries. */
export function decommissionEntries<K extends DecommissionKind, S>(plan: Plan, kind: K, make: (entry: EntryOf<K>, id: StepId<K>) => S): Placed<S>[] {
  const out: Placed<S>[] = []
  plan.decommission.forEach((d, i) => {
    if (kind in d) out.push({ slot: 'decommission', seq: i, step: make((d as unknown as Readonly<Record<K, EntryOf<K>>>)[kind], decommissionId(kind, i + 1)) })
  })
  return out
}
