import { windowAt } from '../core/window.js'
import { formatLocal } from '../core/time.js'
import type { Plan } from '../plan/types.js'
import { approvedByOf, errorOf, markedDoneOf, outputsOf, timesOf } from '../state/records.js'
import type { JournalEntry, RunState, StepRecord, StepStatus } from '../state/types.js'
import type { Step } from '../core/step.js'
import type { JsonObject, JsonValue } from '../core/json.js'
import type { VerificationFile } from '../sql/verification.js'
import type { Inventory } from '../sql/inventory.js'
import { downtimeAttempts, operatorsOf, startsOf } from './attempts.js'
import type { DowntimeAttempt } from './attempts.js'
import { stayedBehind } from './left-behind.js'
import type { StayedBehind } from './left-behind.js'

/** Journal events that record a decision a person made or the tool made for them. */
export const DECISIONS = ['reviewed-refused', 'accept-changes', 'ignore-window', 'window-refused', 'resolve-done', 'resolve-retry', 'approve', 'approve-ahead', 'approval-used', 'approve-revoke', 'lock-taken-over', 'needs-resolve', 'step-recover', 'step-settled', 'rollback-start', 'rollback-end', 'rollback-failed', 'resolve-rerun', 'journal-restored', 'state-rebuilt'] as const

/** Keys of a journal entry's detail that carry records for a replay (state/history.ts), not
 * words for a reader. */
const REPLAY_KEYS = ['record', 'restored'] as const

export interface ReportStep {
  readonly id: string
  readonly phase: Step['phase']
  readonly title: string
  readonly status: StepStatus
  /** Every start of the step: the journal's count (a rollback does not reset it), or the state's. */
  readonly attempts: number
  readonly startedAt?: string
  readonly endedAt?: string
  readonly durationMs?: number
  readonly approvedBy?: string
  /** Done because an admin said so (`resolve --done`), not because it ran to its end. */
  readonly markedDone?: string
  /** What the approver noted (`approve --note`). */
  readonly approvalNote?: string
  readonly error?: string
}

export interface Report {
  readonly formatVersion: 1
  readonly plan: string
  /** Which plan file ran: its sha256, and the git commit it is a clean copy of when known
   * (apply --plan-sha, or asked of git); undefined before any apply. */
  readonly planVersion?: { readonly sha256: string; readonly commit?: string; readonly commitSource?: 'git' | 'operator' }
  readonly lab: boolean
  /** The version of cutover that wrote the report. */
  readonly cutoverVersion: string
  /** Who ran the plan (`who@host` of every apply and rollback, from the journal). */
  readonly operators: readonly string[]
  /** Which clock the recorded times come from: the lab emulator's (it starts at the window's
   * opening), one set with CUTOVER_CLOCK, or the real time. */
  readonly clock: 'lab' | 'set' | 'real'
  readonly generatedAt: string
  readonly window: { readonly timezone: string; readonly startLocal: string; readonly endLocal: string; readonly startUtc: string; readonly endUtc: string; readonly margin: string }
  /** From the legacy services' stop to the Persistent Chat services' start, when both ran. */
  readonly downtime?: { readonly startUtc: string; readonly endUtc: string; readonly durationMs: number; readonly insideWindow: boolean }
  /** Every downtime the journal records (a rollback and a re-apply make two), oldest first. */
  readonly downtimes: readonly DowntimeAttempt[]
  /** What did not migrate as it was: left out, disabled, skipped, the cutoff. */
  readonly stayedBehind: StayedBehind
  readonly steps: readonly ReportStep[]
  readonly verification?: VerificationFile
  readonly warnings: readonly { readonly step: string; readonly message: string }[]
  /** The warnings once each, with the steps that recorded them (Import -WhatIf and Import say the same). */
  readonly warningsOnce: readonly { readonly message: string; readonly steps: readonly string[] }[]
  readonly decisions: readonly JournalEntry[]
  /** Each apply that ran, oldest first: the reviewed plan it was checked against (apply
   * --reviewed) and whether what it ran matched, or that none was given. */
  readonly reviewed: readonly ReviewedApply[]
}

export interface ReviewedApply {
  /** When the apply started, and who ran it (`who@host`). */
  readonly at: string
  readonly by: string
  /** `matched`: every step it ran matched the reviewed plan; `refused`: it stopped at a step that
   * differed; `none`: no reviewed plan was given. */
  readonly outcome: 'matched' | 'refused' | 'none'
  readonly file?: string
  readonly sha256?: string
  /** The step it stopped before, when refused. */
  readonly step?: string
}

const isJsonObject = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v)

/** apply --reviewed as the journal records it: apply-start names the reviewed plan, a
 * `reviewed-refused` entry before the next apply-start says the run stopped at a difference. */
export function reviewedApplies(journal: readonly JournalEntry[]): ReviewedApply[] {
  const out: ReviewedApply[] = []
  for (const e of journal) {
    if (e.event === 'apply-start') {
      const ref = e.detail?.reviewed
      const file = isJsonObject(ref) ? ref.file : undefined
      const sha256 = isJsonObject(ref) ? ref.sha256 : undefined
      const reviewed = typeof file === 'string' && typeof sha256 === 'string' ? { file, sha256 } : undefined
      out.push({ at: e.at, by: `${e.who}@${e.host}`, outcome: reviewed === undefined ? 'none' : 'matched', ...reviewed })
    } else if (e.event === 'reviewed-refused') {
      const last = out.at(-1)
      if (last !== undefined && last.outcome === 'matched') out[out.length - 1] = { ...last, outcome: 'refused', ...(e.step === undefined ? {} : { step: e.step }) }
    }
  }
  return out
}

/** What happened, from the state, the journal and the verification artifact: the report is
 * rebuilt from records, so it says what ran, not what the plan meant to run. */
export function buildReport(args: {
  plan: Plan
  steps: readonly Step[]
  records: Readonly<Record<string, StepRecord>>
  journal: readonly JournalEntry[]
  verification: VerificationFile | undefined
  now: Date
  planState?: RunState['plan']
  /** The plan runs on the lab emulator (the runtime says). */
  lab: boolean
  /** The steps that bound the downtime: the legacy services' stops (the first that started opens
   * it) and the Persistent Chat services' start (its end closes it). */
  downtime: { readonly starts: readonly string[]; readonly end: string }
  cutoverVersion: string
  clock: Report['clock']
  /** The inventories the run froze (else took at the preflight), by source. */
  inventories: ReadonlyMap<string, Inventory>
}): Report {
  const { plan, records } = args
  const w = windowAt(plan, args.now.getTime())
  const starts = startsOf(args.journal)
  const steps = args.steps.map((s): ReportStep => {
    const r = records[s.id]
    const { startedAt, endedAt } = timesOf(r)
    const durationMs = startedAt !== undefined && endedAt !== undefined ? Date.parse(endedAt) - Date.parse(startedAt) : undefined
    const approvedBy = approvedByOf(r)
    const error = errorOf(r)
    const markedDone = markedDoneOf(r)
    const approvalNote = r?.status === 'done' ? r.approvalNote : undefined
    return {
      id: s.id, phase: s.phase, title: s.title, status: r?.status ?? 'pending', attempts: Math.max(r?.attempts ?? 0, starts.get(s.id) ?? 0),
      ...(startedAt === undefined ? {} : { startedAt }), ...(endedAt === undefined ? {} : { endedAt }),
      ...(durationMs === undefined ? {} : { durationMs }), ...(approvedBy === undefined ? {} : { approvedBy }),
      ...(approvalNote === undefined ? {} : { approvalNote }),
      ...(error === undefined ? {} : { error }), ...(markedDone === undefined ? {} : { markedDone }),
    }
  })
  const first = steps.find((s) => args.downtime.starts.includes(s.id) && s.startedAt !== undefined)?.startedAt
  const last = steps.find((s) => s.id === args.downtime.end)?.endedAt
  const downtime = first !== undefined && last !== undefined
    ? { startUtc: first, endUtc: last, durationMs: Date.parse(last) - Date.parse(first), insideWindow: Date.parse(first) >= w.startMs && Date.parse(last) <= w.endMs }
    : undefined
  const warnings = args.steps.flatMap((s) => {
    const list = outputsOf(records[s.id])?.warnings
    return Array.isArray(list) ? list.map((m) => ({ step: s.id, message: String(m) })) : []
  })
  const once = new Map<string, string[]>()
  for (const x of warnings) {
    const steps = once.get(x.message) ?? []
    if (!steps.includes(x.step)) steps.push(x.step)
    once.set(x.message, steps)
  }
  return {
    formatVersion: 1,
    plan: plan.name,
    ...(args.planState === undefined ? {} : { planVersion: { sha256: args.planState.hash, ...(args.planState.commit === undefined ? {} : { commit: args.planState.commit, ...(args.planState.commitSource === undefined ? {} : { commitSource: args.planState.commitSource }) }) } }),
    lab: args.lab,
    cutoverVersion: args.cutoverVersion,
    operators: operatorsOf(args.journal),
    clock: args.clock,
    generatedAt: args.now.toISOString(),
    window: {
      timezone: plan.downtime.timezone, startLocal: formatLocal(w.startMs, plan.downtime.timezone), endLocal: formatLocal(w.endMs, plan.downtime.timezone),
      startUtc: new Date(w.startMs).toISOString(), endUtc: new Date(w.endMs).toISOString(), margin: plan.downtime.margin,
    },
    ...(downtime === undefined ? {} : { downtime }),
    downtimes: downtimeAttempts(args.journal, args.downtime),
    stayedBehind: stayedBehind(plan, args.inventories),
    steps,
    ...(args.verification === undefined ? {} : { verification: args.verification }),
    warnings,
    warningsOnce: [...once].map(([message, steps]) => ({ message, steps })),
    decisions: args.journal.filter((e) => (DECISIONS as readonly string[]).includes(e.event)).map(forReaders),
    reviewed: reviewedApplies(args.journal),
  }
}

/** A journal entry without the records its detail carries for a replay. */
function forReaders(e: JournalEntry): JournalEntry {
  if (e.detail === undefined || !REPLAY_KEYS.some((k) => e.detail?.[k] !== undefined)) return e
  const detail = Object.fromEntries(Object.entries(e.detail).filter(([k]) => !(REPLAY_KEYS as readonly string[]).includes(k)))
  return { at: e.at, who: e.who, host: e.host, pid: e.pid, event: e.event, ...(e.step === undefined ? {} : { step: e.step }), ...(e.outcome === undefined ? {} : { outcome: e.outcome }), ...(Object.keys(detail).length === 0 ? {} : { detail }) }
}
