import type { Phase } from '../core/step.js'
import type { StepStatus } from '../state/types.js'
import type { MoveName } from './transitions.js'

/** What the engine tells its listener (the CLI renders these; tests record them). Every change
 * of a step's record is told, after it was saved and journaled. */
export type EngineEvent =
  | { readonly type: 'run-start'; readonly plan: string; readonly steps: number; readonly resumed: boolean }
  | { readonly type: 'step-start'; readonly id: string; readonly title: string; readonly phase: Phase; readonly attempt: number }
  | { readonly type: 'step-skip'; readonly id: string; readonly title: string; readonly reason: string }
  | { readonly type: 'step-progress'; readonly id: string; readonly done: number; readonly total: number; readonly unit: string }
  | { readonly type: 'step-log'; readonly id: string; readonly line: string }
  | { readonly type: 'step-warning'; readonly id: string; readonly message: string }
  | { readonly type: 'step-done'; readonly id: string; readonly title: string; readonly ms: number }
  | { readonly type: 'step-failed'; readonly id: string; readonly title: string; readonly error: string }
  | { readonly type: 'step-recover'; readonly id: string; readonly how: string }
  /** Any other change of a record: awaiting approval, approved, resolved, undone, reset, accepted. */
  | { readonly type: 'step-status'; readonly id: string; readonly title: string; readonly status: StepStatus; readonly move: MoveName }
  | { readonly type: 'paused'; readonly id?: string; readonly reason: PauseReason; readonly message: string }
  | { readonly type: 'run-end'; readonly outcome: RunOutcome }
  /** The plan's lock was taken over from a holder that is gone (journaled as lock-taken-over). */
  | { readonly type: 'lock-taken-over'; readonly message: string }

export type PauseReason = 'approval' | 'window-not-open' | 'needs-resolve' | 'until'
export type RunOutcome = 'done' | 'paused' | 'failed' | 'interrupted'

export type EventListener = (event: EngineEvent) => void

/** How `apply` ended. `down`, on a stop inside the cutover: which chat services are down and
 * what to do (steps/downtime.ts). */
export type ApplyResult =
  | { readonly outcome: 'done' }
  | { readonly outcome: 'paused'; readonly reason: PauseReason; readonly step: string; readonly message: string; readonly down?: string }
  /** A step failed; `cause` is what it threw, for --debug. */
  | { readonly outcome: 'failed'; readonly step: string; readonly error: string; readonly cause: unknown; readonly down?: string }
  /** A cutover step was not started (the window is closing or over, or the cutover's forecast
   * does not fit what is left of it): nothing failed, nothing ran. */
  | { readonly outcome: 'refused'; readonly step: string; readonly error: string; readonly down?: string }
  /** Ctrl-C: the running step (if any) stays recorded as running, as after a crash. */
  | { readonly outcome: 'interrupted'; readonly step?: string }

/** How `rollback` ended. */
export type RollbackResult =
  | { readonly outcome: 'done'; readonly undone: readonly string[]; readonly reset: readonly string[] }
  | { readonly outcome: 'interrupted'; readonly undone: readonly string[]; readonly step?: string }
