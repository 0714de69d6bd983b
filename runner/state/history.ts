/**
 * The journal read as the history of a run: every change of a step's record is journaled right
 * after it is saved (engine/recorder.ts), so replaying the journal rebuilds the records, and
 * comparing the replay with the saved state finds a state that was lost, restored from an older
 * copy, or a journal that was emptied or edited. Pure: no I/O.
 */
import type { JsonObject, JsonValue } from '../core/json.js'
import type { JournalEntry, RunState, StepRecord, StepStatus } from './types.js'

/** What a step-changing journal entry carries beyond its event, so that a replay can rebuild
 * the record (under `detail.record`; older journals lack it). */
export interface JournaledRecord {
  readonly kind?: string
  readonly fingerprint?: string
  readonly outputs?: JsonObject
  /** `resolve --done`: the status the step had when an admin marked it done. */
  readonly resolvedFrom?: string
}

/** The journal events that change a step's record, and the status each leaves it in. */
const STEP_EVENTS: Readonly<Record<string, StepStatus | 'unchanged'>> = {
  'step-start': 'running',
  'step-done': 'done',
  'step-settled': 'done',
  'step-failed': 'failed',
  'awaiting-approval': 'awaiting-approval',
  approve: 'done',
  'resolve-done': 'done',
  'resolve-retry': 'failed',
  'resolve-rerun': 'failed',
  'step-undone': 'pending',
  'step-reset': 'pending',
  'accept-change': 'unchanged',
  /** Written by `cutover repair` for a step the journal had lost, from the state's record. */
  'journal-restored': 'unchanged',
}

/** Whether a journal entry changes a step's record. */
export function isStepEvent(e: JournalEntry): boolean {
  return e.step !== undefined && STEP_EVENTS[e.event] !== undefined
}

function obj(v: JsonValue | undefined): JsonObject | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : undefined
}

function str(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined
}

function recordDetail(e: JournalEntry): JournaledRecord {
  const r = obj(e.detail?.record)
  if (r === undefined) return {}
  const outputs = obj(r.outputs)
  const kind = str(r.kind)
  const fingerprint = str(r.fingerprint)
  const resolvedFrom = str(r.resolvedFrom)
  return { ...(kind === undefined ? {} : { kind }), ...(fingerprint === undefined ? {} : { fingerprint }), ...(outputs === undefined ? {} : { outputs }), ...(resolvedFrom === undefined ? {} : { resolvedFrom }) }
}

/** The record `journal-restored` carried, when it is a step record. */
function restoredRecord(e: JournalEntry): StepRecord | undefined {
  const r = obj(e.detail?.restored)
  return r !== undefined && typeof r.status === 'string' && r.id === e.step ? (r as unknown as StepRecord) : undefined
}

export interface Replay {
  readonly steps: Readonly<Record<string, StepRecord>>
  readonly retired: Readonly<Record<string, StepRecord>>
  /** Steps whose fingerprint the journal did not record (journals of earlier versions): the
   * caller fills it in from the plan, and says so. */
  readonly fingerprintUnknown: readonly string[]
  /** The plan hash of the latest apply-start, when one is journaled. */
  readonly planHash?: string
  readonly planCommit?: string
  readonly planCommitSource?: 'git' | 'operator'
  readonly firstAt?: string
  readonly lastAt?: string
}

/** Rebuilds every step's record from the journal, oldest entry first. */
export function replayJournal(entries: readonly JournalEntry[]): Replay {
  const steps = new Map<string, StepRecord>()
  const retired = new Map<string, StepRecord>()
  const unknown = new Set<string>()
  let planHash: string | undefined
  let planCommit: string | undefined
  let planCommitSource: 'git' | 'operator' | undefined
  for (const e of entries) {
    if (e.event === 'apply-start') {
      planHash = str(e.detail?.planHash) ?? planHash
      planCommit = str(e.detail?.planCommit) ?? undefined
      planCommitSource = str(e.detail?.planCommitSource) === 'operator' ? 'operator' : planCommit === undefined ? undefined : 'git'
    }
    if (e.event === 'retire-steps' && Array.isArray(e.detail?.steps)) {
      for (const id of e.detail.steps) {
        const rec = typeof id === 'string' ? steps.get(id) : undefined
        if (rec !== undefined && typeof id === 'string') {
          retired.set(id, rec)
          steps.delete(id)
        }
      }
    }
    if (!isStepEvent(e) || e.step === undefined) continue
    const id = e.step
    const before = steps.get(id)
    const rd = recordDetail(e)
    if (e.event === 'journal-restored') {
      const rec = restoredRecord(e)
      if (rec !== undefined) {
        steps.set(id, rec)
        unknown.delete(id)
      }
      continue
    }
    const fingerprint = rd.fingerprint ?? before?.fingerprint
    if (rd.fingerprint === undefined && before === undefined) unknown.add(id)
    if (rd.fingerprint !== undefined) unknown.delete(id)
    const kind = rd.kind ?? before?.kind
    const base = { id, ...(kind === undefined ? {} : { kind }), fingerprint: fingerprint ?? '', attempts: before?.attempts ?? 0 }
    const startedAt = before !== undefined && 'startedAt' in before ? before.startedAt : undefined
    const started = startedAt === undefined ? {} : { startedAt }
    const target = STEP_EVENTS[e.event]
    let rec: StepRecord
    switch (target) {
      case 'running': {
        const attempt = typeof e.detail?.attempt === 'number' ? e.detail.attempt : base.attempts + 1
        rec = { ...base, status: 'running', attempts: attempt, startedAt: e.at }
        break
      }
      case 'done': {
        const by = str(e.detail?.by)
        rec = {
          ...base, status: 'done', ...(e.event === 'approve' ? {} : started), endedAt: e.at,
          ...(rd.outputs === undefined ? {} : { outputs: rd.outputs }),
          ...(e.event === 'approve' && by !== undefined ? { approvedBy: by, approvedAt: e.at } : {}),
          ...(e.event === 'resolve-done' && by !== undefined ? { resolvedBy: by } : {}),
          ...(e.event === 'resolve-done' && rd.resolvedFrom !== undefined ? { resolvedFrom: rd.resolvedFrom === 'failed' ? 'failed' : 'running' } : {}),
        }
        break
      }
      case 'failed': {
        const error = str(e.detail?.error) ?? (before?.status === 'failed' ? before.error : `${e.event} (rebuilt from the journal)`)
        rec = { ...base, status: 'failed', ...started, endedAt: e.at, error }
        break
      }
      case 'awaiting-approval':
        rec = { ...base, status: 'awaiting-approval' }
        break
      case 'pending':
        rec = { ...base, status: 'pending', attempts: 0 }
        break
      default:
        if (before === undefined) continue
        rec = { ...before, ...(fingerprint === undefined ? {} : { fingerprint }), ...(kind === undefined ? {} : { kind }) }
        break
    }
    steps.set(id, rec)
  }
  return {
    steps: Object.fromEntries(steps),
    retired: Object.fromEntries(retired),
    fingerprintUnknown: [...unknown],
    ...(planHash === undefined ? {} : { planHash }),
    ...(planCommit === undefined ? {} : { planCommit }),
    ...(planCommitSource === undefined ? {} : { planCommitSource }),
    ...(entries[0] === undefined ? {} : { firstAt: entries[0].at }),
    ...(entries.at(-1) === undefined ? {} : { lastAt: entries.at(-1)?.at }),
  }
}

/** One way the saved state and the journal disagree about a step. */
export interface Disagreement {
  readonly step: string
  /** Status in the state ('absent' when it has no record, or no state exists). */
  readonly state: StepStatus | 'absent'
  /** Status the journal's history leaves it in ('absent': no journal entry for it). */
  readonly journal: StepStatus | 'absent'
}

export type Consistency =
  | { readonly ok: true; readonly caughtUp?: Disagreement }
  | { readonly ok: false; readonly why: string; readonly disagreements: readonly Disagreement[] }

/** A record the replay counts as "never happened". */
function effectively(rec: StepRecord | undefined): StepStatus | 'absent' {
  if (rec === undefined) return 'absent'
  if (rec.status === 'pending' && rec.attempts === 0) return 'absent'
  return rec.status
}

/** The moves one save can make (engine/transitions.ts), from the journal's status to the state's. */
const ONE_MOVE: Readonly<Record<StepStatus | 'absent', readonly (StepStatus | 'absent')[]>> = {
  absent: ['running', 'awaiting-approval', 'done'],
  pending: ['running', 'awaiting-approval', 'done', 'absent'],
  running: ['done', 'failed', 'absent', 'pending'],
  failed: ['running', 'done', 'absent', 'pending'],
  done: ['failed', 'absent', 'pending'],
  'awaiting-approval': ['done', 'absent', 'pending'],
}

function isOneMove(d: Disagreement): boolean {
  // Only a manual step goes from nothing to done in one move (approve): it has no start.
  return ONE_MOVE[d.journal].includes(d.state)
}

/** Journal events that end a command's run: nothing of that run is left to journal after them. */
const RUN_ENDS = ['apply-end', 'rollback-end', 'rollback-failed', 'interrupted']

/**
 * Whether `d` is what a crash between a save and its journal line leaves: the run that journaled
 * the last step change had not ended (no end of that process after it), the state was saved
 * after that change, and a step the journal shows as started or done is the one it changed last.
 */
function savedAfterLastMove(state: RunState, entries: readonly JournalEntry[], d: Disagreement): boolean {
  let last = -1
  entries.forEach((e, i) => {
    if (isStepEvent(e)) last = i
  })
  const move = entries[last]
  if (move === undefined) return d.journal === 'absent'
  if (entries.slice(last + 1).some((e) => e.pid === move.pid && e.host === move.host && RUN_ENDS.includes(e.event))) return false
  if (state.updatedAt < move.at) return false
  const moved = latestOf(state.steps[d.step])
  if (moved !== undefined && moved < move.at) return false
  return d.journal === 'absent' || d.journal === 'pending' || d.journal === 'failed' ? true : move.step === d.step
}

/** The latest instant a record names. */
function latestOf(rec: StepRecord | undefined): string | undefined {
  if (rec === undefined) return undefined
  const times = [('startedAt' in rec ? rec.startedAt : undefined), ('endedAt' in rec ? rec.endedAt : undefined), ('approvedAt' in rec ? rec.approvedAt : undefined)].filter((t): t is string => t !== undefined)
  return times.sort().at(-1)
}

/**
 * Whether the saved state and the journal tell the same story. The state is saved before its
 * journal entry is appended, so a crash between the two leaves the state one move ahead for the
 * one step that moved last: that is not a disagreement (`caughtUp` names it, for the caller to
 * journal). Anything else is: a state lost while the journal records steps, a step pending in
 * the state but done in the journal, a done step the journal never recorded (an emptied or
 * edited journal).
 */
export function compareWithJournal(state: RunState | undefined, entries: readonly JournalEntry[]): Consistency {
  const replay = replayJournal(entries)
  const stateSteps = state?.steps ?? {}
  const ids = new Set([...Object.keys(stateSteps), ...Object.keys(replay.steps)])
  const disagreements: Disagreement[] = []
  for (const id of ids) {
    const s = effectively(stateSteps[id])
    const j = effectively(replay.steps[id])
    if (s !== j) disagreements.push({ step: id, state: s, journal: j })
  }
  if (disagreements.length === 0) return { ok: true }
  if (state === undefined) {
    const ran = Object.keys(replay.steps).length
    return { ok: false, why: `the state is missing, but the journal records ${ran} step(s) that ran`, disagreements }
  }
  const [only] = disagreements
  if (disagreements.length === 1 && only !== undefined && isOneMove(only) && savedAfterLastMove(state, entries, only)) return { ok: true, caughtUp: only }
  const first = disagreements[0]
  const what = (d: Disagreement) => `${d.step} is ${d.state === 'absent' ? 'not recorded' : d.state} in the state but ${d.journal === 'absent' ? 'has no journal entry' : `${d.journal} in the journal`}`
  const more = disagreements.length > 1 ? ` (and ${disagreements.length - 1} more)` : ''
  const why = entries.length === 0 ? `the journal is empty, but the state records ${Object.values(stateSteps).filter((r) => effectively(r) !== 'absent').length} step(s) that ran` : `${first === undefined ? '' : what(first)}${more}`
  return { ok: false, why, disagreements }
}
