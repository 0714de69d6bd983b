import type { Step } from '../core/step.js'
import { windowAt } from '../core/window.js'
import type { Plan } from '../plan/types.js'
import type { RunState } from '../state/types.js'
import type { KindLookup } from './guards.js'

export interface SummaryInput {
  readonly plan: Plan
  readonly steps: readonly Step[]
  readonly kinds: KindLookup
  readonly state: RunState | undefined
  readonly nowMs: number
  /** Whether the process that held the lock is known to be gone (or nobody holds it). */
  readonly holderGone: boolean
}

function minutes(ms: number): string {
  const m = Math.max(0, Math.round(ms / 60_000))
  return m < 120 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`
}

/** What a resumed step's settling will do, in the words the admin reads before it happens. */
function settling(step: Step, kinds: KindLookup): string {
  const kind = kinds(step.kind)
  if (kind === undefined) return 'its kind is unknown'
  if (kind.recover !== undefined) return step.kind === 'import' ? 'restoring the pre-import backup, then importing again' : 'undoing its partial run, then running it again'
  if (kind.check !== undefined) return kind.traits.idempotent ? 'checking whether it completed, else running it again' : 'checking whether it completed (it is not run twice)'
  if (kind.traits.idempotent) return 'running it again (safe: it is idempotent)'
  return `pausing for cutover resolve (it cannot safely run twice)`
}

/**
 * What `apply` is about to do, as a few lines for the admin before anything runs: how many steps
 * are done, what was found interrupted or failed and how it will be settled, the downtime window
 * and whether downtime starts now. Pure: computed from the recorded state, not the terminal.
 */
export function applySummary(input: SummaryInput): string[] {
  const { plan, steps, kinds, state } = input
  const lines: string[] = []
  const recs = steps.map((s) => ({ step: s, rec: state?.steps[s.id] }))
  const done = recs.filter((r) => r.rec?.status === 'done').length
  if (state === undefined) {
    const phases = ['preflight', 'prepare', 'cutover', 'post'].map((p) => `${steps.filter((s) => s.phase === p).length} ${p}`).join(', ')
    lines.push(`${steps.length} steps of '${plan.name}' to run (${phases}); none has run yet`)
  } else {
    const parts = [`${done}/${steps.length} done`]
    for (const { step, rec } of recs) {
      if (rec?.status === 'running') parts.push(`${step.id} was interrupted${input.holderGone ? ', its process is gone' : ''}; ${settling(step, kinds)}`)
      else if (rec?.status === 'failed') parts.push(`${step.id} failed (attempt ${rec.attempts}); ${kinds(step.kind)?.recover !== undefined ? `${settling(step, kinds)}` : 'retrying it'}`)
      else if (rec?.status === 'awaiting-approval') parts.push(`${step.id} waits for cutover approve`)
    }
    lines.push(parts.join('; '))
  }
  const next = recs.find((r) => r.rec?.status !== 'done')
  const w = windowAt(plan, input.nowMs)
  const window = `downtime window ${new Date(w.startMs).toISOString()} to ${new Date(w.endMs).toISOString()} (${plan.downtime.timezone}, margin ${plan.downtime.margin})`
  const when = w.state === 'before' ? `opens in ${minutes(w.startMs - input.nowMs)}` : w.state === 'open' ? `open, ${minutes(w.lastStartMs - input.nowMs)} left to start cutover steps` : w.state === 'closing' ? 'closing: no cutover step may start' : 'over'
  lines.push(`${window}: ${when}`)
  const cutoverStarted = recs.some((r) => r.step.phase === 'cutover' && r.rec !== undefined && r.rec.attempts > 0)
  const firstCutover = recs.find((r) => r.step.phase === 'cutover' && r.rec?.status !== 'done')
  if (next === undefined) lines.push('every step is done; nothing will run')
  else if (firstCutover !== undefined && !cutoverStarted && w.state === 'open') {
    lines.push(`downtime starts ${next.step.phase === 'cutover' ? 'now' : 'in this run'}: ${firstCutover.step.id} (${firstCutover.step.title}) takes Group Chat down`)
  } else if (firstCutover !== undefined && !cutoverStarted && w.state === 'before') lines.push('the steps before the window run now; the cutover (downtime) waits for the window to open')
  else lines.push(`next: ${next.step.id} (${next.step.title})`)
  return lines
}
