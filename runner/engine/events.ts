import type { Phase } from '../core/step.js'

/** What the engine tells its listener (the CLI renders these; tests record them). */
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
  | { readonly type: 'paused'; readonly id?: string; readonly reason: PauseReason; readonly message: string }
  | { readonly type: 'run-end'; readonly outcome: RunOutcome }

export type PauseReason = 'approval' | 'window-not-open' | 'needs-resolve' | 'until'
export type RunOutcome = 'done' | 'paused' | 'failed'

export type EventListener = (event: EngineEvent) => void
