/** Which chat services a run has left stopped: what an admin must know when a cutover stops. */
import type { Step } from '../core/step.js'
import type { StepRecord } from '../state/types.js'
import { startTargetId, stopTargetId } from './kinds/target-services.js'

/** Whether a step has started at least once (it may have stopped services even if it failed). */
function started(rec: StepRecord | undefined): boolean {
  return rec !== undefined && rec.attempts > 0 && rec.status !== 'pending'
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

/**
 * The services the recorded run stopped and has not started again, one phrase each, e.g.
 * `Group Chat (gc2010): GroupChatChannel, GroupChatLookup on gc01`: a legacy source's services
 * once its stop-legacy step started (only rollback starts them again), the Persistent Chat
 * services from the stop-target step until the start-target step is done.
 */
export function servicesDown(steps: readonly Step[], records: Readonly<Record<string, StepRecord>>): string[] {
  const down: string[] = []
  for (const step of steps) {
    if (step.kind !== 'stop-legacy' || !started(records[step.id])) continue
    down.push(`Group Chat (${String(step.input.source)}): ${strings(step.input.services).join(', ')} on ${strings(step.input.servers).join(', ')}`)
  }
  const stop = steps.find((s) => s.id === stopTargetId())
  if (stop !== undefined && started(records[stop.id]) && records[startTargetId()]?.status !== 'done') {
    down.push(`Persistent Chat: ${strings(stop.input.services).join(', ')} on ${strings(stop.input.servers).join(', ')}`)
  }
  return down
}

/** What to tell an admin when a run stops inside the cutover with services down; undefined when
 * nothing is down. */
export function downNotice(steps: readonly Step[], records: Readonly<Record<string, StepRecord>>): string | undefined {
  const down = servicesDown(steps, records)
  if (down.length === 0) return undefined
  return `chat is down: ${down.join('; ')}. Either finish the cutover (cutover apply <plan> --ignore-window, journaled, once the cause is fixed) or go back (cutover rollback <plan>, which starts the legacy services again)`
}

/** When the new clients were enabled (an enable-clients record: its kind as recorded, else as
 * the plan's step of that id has it), or undefined when they never were: from then on users post
 * into Persistent Chat. A step that started counts: the policy may be on even if it failed. */
export function clientsEnabledAt(records: Readonly<Record<string, StepRecord>>, steps: readonly Step[]): string | undefined {
  for (const rec of Object.values(records)) {
    const kind = rec.kind ?? steps.find((s) => s.id === rec.id)?.kind
    if (kind !== 'enable-clients' || !started(rec)) continue
    if (rec.status === 'done' || rec.status === 'failed') return rec.endedAt
    if (rec.status === 'running') return rec.startedAt
  }
  return undefined
}
