import { basename, dirname, resolve } from 'node:path'
import { inputChanges } from '../compile/input-diff.js'
import type { InputChange } from '../compile/input-diff.js'
import type { Step } from '../core/step.js'
import { runGit } from './git.js'
import { compilePlanText } from './compile-text.js'
import type { RunState } from '../state/types.js'

/** What changed in a step's inputs since it ran: the changes, or why they cannot be shown. */
export type RanDifference =
  | { readonly changes: readonly InputChange[]; readonly commit: string }
  | { readonly unknown: string }

async function gitShow(cwd: string, spec: string): Promise<string | undefined> {
  const r = await runGit(cwd, ['show', spec])
  return r.code === 0 ? r.stdout.toString('utf8') : undefined
}

/**
 * For each step the plan changed since it ran (done, with another fingerprint), its inputs
 * against the ones that ran. The state keeps only a step's fingerprint, not its inputs; the plan
 * that ran is known when the state names its commit (apply records it for a committed plan): that
 * plan is read from git and compiled, and its step is what ran only if it gives the recorded
 * fingerprint. Otherwise the difference says why it is unknown. Reads git; writes nothing.
 */
export async function ranDifferences(file: string, steps: readonly Step[], state: RunState | undefined): Promise<ReadonlyMap<string, RanDifference>> {
  const out = new Map<string, RanDifference>()
  const changed = steps.filter((s) => {
    const rec = state?.steps[s.id]
    return rec !== undefined && rec.status === 'done' && rec.fingerprint !== s.fingerprint
  })
  if (changed.length === 0 || state === undefined) return out
  const commit = state.plan.commit
  if (commit === undefined) {
    for (const s of changed) out.set(s.id, { unknown: 'it ran from a plan file that was not a committed version, so its inputs are not known (the state keeps only their fingerprint)' })
    return out
  }
  const text = await gitShow(dirname(resolve(file)), `${commit}:./${basename(file)}`)
  const ran = text === undefined ? undefined : compilePlanText(text, `${commit}:${basename(file)}`)
  if (ran === undefined || 'invalid' in ran) {
    for (const s of changed) out.set(s.id, { unknown: `the plan it ran from (commit ${commit.slice(0, 12)}) cannot be read from git here` })
    return out
  }
  const before = new Map(ran.steps.map((s) => [s.id as string, s]))
  for (const s of changed) {
    const old = before.get(s.id)
    const rec = state.steps[s.id]
    out.set(s.id, old !== undefined && old.fingerprint === rec?.fingerprint
      ? { changes: inputChanges(old.input, s.input), commit }
      : { unknown: `commit ${commit.slice(0, 12)} of the plan does not give the fingerprint it ran with (another cutover version, or the plan was changed when it ran)` })
  }
  return out
}
