import type { JsonObject } from '../core/json.js'
import type { Step } from '../core/step.js'
import type { StepRecord, StepStatus } from '../state/types.js'

/**
 * Every way a step's record may change, as data. The engine, `approve`, `resolve` and `rollback`
 * change records only through `transition`, which checks that the move is allowed from the
 * record's status and builds the new record; the Recorder then saves, journals and emits it.
 */
export type Move =
  /** The step starts (attempt n); saved before it runs. */
  | { readonly to: 'running'; readonly attempt: number }
  /** It ran to its end. */
  | { readonly to: 'done'; readonly outputs: JsonObject }
  /** Found running after a crash, its postcondition already holds. */
  | { readonly to: 'found-complete' }
  | { readonly to: 'failed'; readonly error: string }
  /** A manual step the run reached, or a step whose run asked for an approval (ApprovalNeededError). */
  | { readonly to: 'awaiting-approval' }
  /** `cutover approve` of a step the run reached and waits at. */
  | { readonly to: 'approved'; readonly by: string; readonly note?: string }
  /** `cutover approve --ahead`: approved before the run reaches it; the record stays pending. */
  | { readonly to: 'pre-approved'; readonly by: string; readonly note?: string }
  /** The run reached a pre-approved step: it is done on the strength of that approval. */
  | { readonly to: 'approval-used' }
  /** `cutover approve --revoke`: the approval is withdrawn before the run went past the step. */
  | { readonly to: 'revoked' }
  /** `cutover resolve --done`: an admin says the interrupted or failed step completed. */
  | { readonly to: 'resolved-done'; readonly by: string }
  /** `cutover resolve --retry`: run it again, recovering a partial attempt first. */
  | { readonly to: 'retry' }
  /** `cutover resolve --rerun`: a done step is to run again on purpose (a damaged export file). */
  | { readonly to: 'rerun'; readonly by: string }
  /** Its undo ran (rollback). */
  | { readonly to: 'undone' }
  /** Rollback starts the cutover afresh: no outputs, errors or times of the undone run. */
  | { readonly to: 'reset' }
  /** `apply --accept-changes`: keep the result of a step whose plan entry changed. */
  | { readonly to: 'accepted' }

export type MoveName = Move['to']

/** From which statuses each move may be made. A record that does not exist yet is `pending`. */
const ALLOWED_FROM: { readonly [M in MoveName]: readonly StepStatus[] } = {
  running: ['pending', 'running', 'failed', 'awaiting-approval'],
  done: ['running'],
  'found-complete': ['running'],
  failed: ['running'],
  'awaiting-approval': ['pending', 'awaiting-approval', 'running'],
  approved: ['awaiting-approval'],
  'pre-approved': ['pending'],
  'approval-used': ['pending'],
  revoked: ['pending', 'done'],
  'resolved-done': ['running', 'failed'],
  retry: ['running', 'failed'],
  rerun: ['done'],
  undone: ['done', 'failed', 'running'],
  reset: ['pending', 'running', 'done', 'failed', 'awaiting-approval'],
  accepted: ['done', 'running'],
}

/** A move the engine should never attempt: a bug, not an admin's mistake. */
export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError'
}

/** Whether `move` is allowed from the record's current status. */
export function canMove(rec: StepRecord | undefined, move: MoveName): boolean {
  return ALLOWED_FROM[move].includes(rec?.status ?? 'pending')
}

/** The record after `move`; throws IllegalTransitionError when the move is not allowed. */
export function transition(step: Pick<Step, 'id' | 'kind' | 'fingerprint'>, rec: StepRecord | undefined, move: Move, now: string): StepRecord {
  const from = rec?.status ?? 'pending'
  if (!canMove(rec, move.to)) throw new IllegalTransitionError(`${step.id}: cannot move from ${from} to ${move.to}`)
  const base = { id: step.id, kind: step.kind, fingerprint: step.fingerprint, attempts: rec?.attempts ?? 0 }
  const startedAt = rec !== undefined && rec.status !== 'pending' && rec.status !== 'awaiting-approval' ? rec.startedAt : undefined
  const started = startedAt === undefined ? {} : { startedAt }
  switch (move.to) {
    case 'running':
      return { ...base, status: 'running', attempts: move.attempt, startedAt: now }
    case 'done':
      return { ...base, status: 'done', ...started, endedAt: now, outputs: move.outputs }
    case 'found-complete':
      return { ...base, status: 'done', ...started, endedAt: now }
    case 'failed':
      return { ...base, status: 'failed', ...started, endedAt: now, error: move.error }
    case 'awaiting-approval':
      return { ...base, status: 'awaiting-approval' }
    case 'approved':
      return { ...base, status: 'done', endedAt: now, approvedBy: move.by, approvedAt: now, ...(move.note === undefined ? {} : { approvalNote: move.note }) }
    case 'pre-approved':
      return { ...base, status: 'pending', preApproval: { by: move.by, at: now, ...(move.note === undefined ? {} : { note: move.note }) } }
    case 'approval-used': {
      const ahead = rec?.status === 'pending' ? rec.preApproval : undefined
      if (ahead === undefined) throw new IllegalTransitionError(`${step.id}: no approval given ahead to use`)
      return { ...base, status: 'done', endedAt: now, approvedBy: ahead.by, approvedAt: ahead.at, approvedAhead: true, ...(ahead.note === undefined ? {} : { approvalNote: ahead.note }) }
    }
    case 'revoked':
      // A pre-approval is dropped; an approval of a step the run waited at makes it wait again.
      if (rec?.status === 'pending' && rec.preApproval !== undefined) return { ...base, status: 'pending' }
      if (rec?.status === 'done' && rec.approvedBy !== undefined) return { ...base, status: 'awaiting-approval' }
      throw new IllegalTransitionError(`${step.id}: no approval to revoke`)
    case 'resolved-done':
      return { ...base, status: 'done', ...started, endedAt: now, resolvedBy: move.by, resolvedFrom: from === 'failed' ? 'failed' : 'running' }
    case 'retry':
      // The attempt count stays, so apply knows a partial attempt exists and recovers it first.
      return { ...base, status: 'failed', ...started, endedAt: now, error: rec?.status === 'failed' ? rec.error : 'interrupted; marked for retry by cutover resolve --retry' }
    case 'rerun':
      // Failed, so apply runs it again (after recovering, for a kind that recovers).
      return { ...base, status: 'failed', ...started, endedAt: now, error: `marked to run again by ${move.by} (cutover resolve --rerun)` }
    case 'undone':
    case 'reset':
      return { ...base, status: 'pending', attempts: 0 }
    case 'accepted': {
      // Only the fingerprint changes: the result stays what it was.
      if (rec === undefined) throw new IllegalTransitionError(`${step.id}: nothing to accept`)
      return { ...rec, kind: step.kind, fingerprint: step.fingerprint }
    }
  }
}
