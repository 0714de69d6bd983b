import type { StepRecord } from './types.js'

/** When a record started and ended, whatever its status. */
export function timesOf(rec: StepRecord | undefined): { readonly startedAt?: string; readonly endedAt?: string } {
  if (rec === undefined || rec.status === 'pending' || rec.status === 'awaiting-approval') return {}
  if (rec.status === 'running') return { startedAt: rec.startedAt }
  return { ...(rec.startedAt === undefined ? {} : { startedAt: rec.startedAt }), endedAt: rec.endedAt }
}
