import type { JournalEntry } from '../state/types.js'

/** One stretch of downtime: from a legacy service stop to the Persistent Chat services' start. */
export interface DowntimeAttempt {
  readonly startUtc: string
  /** When Persistent Chat started again, or the rollback that ended the attempt finished. */
  readonly endUtc?: string
  readonly durationMs?: number
  /** completed: Persistent Chat started; rolled-back: a rollback ended it (the legacy services
   * started again); open: neither yet. */
  readonly outcome: 'completed' | 'rolled-back' | 'open'
  /** A rollback undid this attempt after it completed. */
  readonly rolledBackAt?: string
}

/**
 * Every downtime the journal records, in order: a rollback and a re-apply make a second one. The
 * state cannot tell (rollback starts the steps afresh); the append-only journal can.
 */
export function downtimeAttempts(journal: readonly JournalEntry[], bounds: { readonly starts: readonly string[]; readonly end: string }): DowntimeAttempt[] {
  const out: DowntimeAttempt[] = []
  let open: string | undefined
  const close = (endUtc: string, outcome: DowntimeAttempt['outcome']) => {
    if (open === undefined) return
    out.push({ startUtc: open, endUtc, durationMs: Date.parse(endUtc) - Date.parse(open), outcome })
    open = undefined
  }
  for (const e of journal) {
    if (e.event === 'step-start' && e.step !== undefined && bounds.starts.includes(e.step) && open === undefined) open = e.at
    else if (e.event === 'step-done' && e.step === bounds.end) close(e.at, 'completed')
    else if (e.event === 'rollback-end') {
      if (open !== undefined) close(e.at, 'rolled-back')
      else {
        const last = out.at(-1)
        if (last !== undefined && last.outcome === 'completed' && last.rolledBackAt === undefined) out[out.length - 1] = { ...last, rolledBackAt: e.at }
      }
    }
  }
  if (open !== undefined) out.push({ startUtc: open, outcome: 'open' })
  return out
}

/** How many times each step started, as the journal says: rollback does not reset these. */
export function startsOf(journal: readonly JournalEntry[]): ReadonlyMap<string, number> {
  const counts = new Map<string, number>()
  for (const e of journal) if (e.event === 'step-start' && e.step !== undefined) counts.set(e.step, (counts.get(e.step) ?? 0) + 1)
  return counts
}

/** Who ran the plan: `who@host` of every apply and rollback, each once, in order. */
export function operatorsOf(journal: readonly JournalEntry[]): string[] {
  return [...new Set(journal.filter((e) => e.event === 'apply-start' || e.event === 'rollback-start').map((e) => `${e.who}@${e.host}`))]
}
