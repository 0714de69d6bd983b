import type { JsonObject } from '../core/json.js'
import type { StepRecord } from './types.js'

/** When a record started and ended, whatever its status. */
export function timesOf(rec: StepRecord | undefined): { readonly startedAt?: string; readonly endedAt?: string } {
  if (rec === undefined || rec.status === 'pending' || rec.status === 'awaiting-approval') return {}
  if (rec.status === 'running') return { startedAt: rec.startedAt }
  return { ...(rec.startedAt === undefined ? {} : { startedAt: rec.startedAt }), endedAt: rec.endedAt }
}

/** What a done step produced; undefined for any other status. */
export function outputsOf(rec: StepRecord | undefined): JsonObject | undefined {
  return rec?.status === 'done' ? rec.outputs : undefined
}

/** Why a failed step failed; undefined for any other status. */
export function errorOf(rec: StepRecord | undefined): string | undefined {
  return rec?.status === 'failed' ? rec.error : undefined
}

/** Who approved a done manual step. */
export function approvedByOf(rec: StepRecord | undefined): string | undefined {
  return rec?.status === 'done' ? rec.approvedBy : undefined
}

/** How a done step was settled by an admin rather than run to its end by cutover, in the words
 * status and the reports show ("marked done by alice after a failure"); undefined otherwise. */
export function markedDoneOf(rec: StepRecord | undefined): string | undefined {
  if (rec?.status !== 'done' || rec.resolvedBy === undefined) return undefined
  return `marked done by ${rec.resolvedBy} after ${rec.resolvedFrom === 'failed' ? 'a failure' : 'an interruption'}`
}
