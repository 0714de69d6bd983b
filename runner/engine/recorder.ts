import { hostname } from 'node:os'
import type { Clock } from '../core/clock.js'
import { CutoverError } from '../core/errors.js'
import type { JsonObject } from '../core/json.js'
import type { Step } from '../core/step.js'
import type { RunState, StateStore, StepRecord } from '../state/types.js'
import type { EngineEvent, EventListener } from './events.js'
import { transition } from './transitions.js'
import type { Move } from './transitions.js'

/** What a move is called in the journal, and what the listener is told of it. */
function journalEventOf(move: Move): string {
  switch (move.to) {
    case 'running': return 'step-start'
    case 'done': return 'step-done'
    case 'found-complete': return 'step-settled'
    case 'failed': return 'step-failed'
    case 'awaiting-approval': return 'awaiting-approval'
    case 'approved': return 'approve'
    case 'pre-approved': return 'approve-ahead'
    case 'approval-used': return 'approval-used'
    case 'revoked': return 'approve-revoke'
    case 'resolved-done': return 'resolve-done'
    case 'retry': return 'resolve-retry'
    case 'rerun': return 'resolve-rerun'
    case 'undone': return 'step-undone'
    case 'reset': return 'step-reset'
    case 'accepted': return 'accept-change'
  }
}

/** What the journal records of a move beyond its event name. */
function detailOf(move: Move): JsonObject {
  switch (move.to) {
    case 'running': return { attempt: move.attempt }
    case 'failed': return { error: move.error }
    case 'approved':
    case 'pre-approved': return { by: move.by, ...(move.note === undefined ? {} : { note: move.note }) }
    case 'resolved-done':
    case 'rerun': return { by: move.by }
    default: return {}
  }
}

/** What a replay of the journal needs to rebuild the record (state/history.ts). */
function recordOf(rec: StepRecord): JsonObject {
  return {
    ...(rec.kind === undefined ? {} : { kind: rec.kind }),
    fingerprint: rec.fingerprint,
    ...(rec.status === 'done' && rec.outputs !== undefined ? { outputs: rec.outputs } : {}),
    ...(rec.status === 'done' && rec.resolvedFrom !== undefined ? { resolvedFrom: rec.resolvedFrom } : {}),
  }
}

function eventOf(step: Step, move: Move, rec: StepRecord, ms: number | undefined): EngineEvent {
  switch (move.to) {
    case 'running': return { type: 'step-start', id: step.id, title: step.title, phase: step.phase, attempt: move.attempt }
    case 'done': return { type: 'step-done', id: step.id, title: step.title, ms: ms ?? 0 }
    case 'found-complete': return { type: 'step-skip', id: step.id, title: step.title, reason: 'interrupted earlier, found complete' }
    case 'failed': return { type: 'step-failed', id: step.id, title: step.title, error: move.error }
    default: return { type: 'step-status', id: step.id, title: step.title, status: rec.status, move: move.to }
  }
}

/** Who is acting, as the journal records it. */
export interface Actor {
  readonly who: string
}

/**
 * The state of one command's run and the single place it changes: `move` applies a transition,
 * saves the state durably, appends it to the journal and tells the listener, in that order, so
 * that what the journal and the events say has always been saved first.
 */
export class Recorder {
  private current: RunState

  constructor(
    state: RunState,
    private readonly store: StateStore,
    private readonly clock: Clock,
    private readonly actor: Actor,
    private readonly listener: EventListener,
    /** Scrubs secrets from what is journaled and emitted. */
    private readonly redact: (text: string) => string,
  ) {
    this.current = state
  }

  get state(): RunState {
    return this.current
  }

  record(id: string): StepRecord | undefined {
    return this.current.steps[id]
  }

  /** Applies `move` to the step's record, then saves, journals and emits it; returns the record. */
  async move(step: Step, move: Move, detail?: JsonObject): Promise<StepRecord> {
    const before = this.current.steps[step.id]
    const now = this.nowIso()
    const clean: Move = move.to === 'failed' ? { ...move, error: this.redact(move.error) } : move
    const rec = transition(step, before, clean, now)
    this.current = { ...this.current, steps: { ...this.current.steps, [step.id]: rec } }
    const extra: JsonObject = { ...detailOf(clean), ...(detail ?? {}), record: recordOf(rec) }
    try {
      await this.save()
      await this.journal(journalEventOf(clean), { step: step.id, ...(clean.to === 'running' ? {} : { outcome: rec.status }), detail: extra })
    } catch (error) {
      if (error instanceof CutoverError) throw error
      // Which step's checkpoint could not be kept, not only which file (a full disk, say).
      throw new Error(`${step.id}: could not record it as ${rec.status}: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
    }
    const startedMs = before !== undefined && before.status === 'running' ? Date.parse(before.startedAt) : undefined
    this.emit(eventOf(step, clean, rec, startedMs === undefined ? undefined : Date.parse(now) - startedMs))
    return rec
  }

  /** Replaces the whole state (plan hash, retired records) and saves it. */
  async replace(edit: (state: RunState) => RunState): Promise<void> {
    this.current = edit(this.current)
    await this.save()
  }

  async journal(event: string, extra: { step?: string; outcome?: string; detail?: JsonObject } = {}): Promise<void> {
    await this.store.append({ at: this.nowIso(), who: this.actor.who, host: hostname(), pid: process.pid, event, ...extra })
  }

  emit(e: EngineEvent): void {
    this.listener(e)
  }

  nowIso(): string {
    return this.clock.now().toISOString()
  }

  private async save(): Promise<void> {
    this.current = { ...this.current, updatedAt: this.nowIso() }
    await this.store.save(this.current)
  }
}

/** A fresh state for a plan that never ran. */
export function newRunState(plan: { readonly name: string; readonly hash: string }, now: string): RunState {
  return { formatVersion: 1, plan: { name: plan.name, hash: plan.hash }, steps: {}, createdAt: now, updatedAt: now }
}
