import type { Host } from '../core/host.js'
import type { Plan } from '../plan/types.js'
import type { SqlClient } from '../core/sql-client.js'
import type { Inventory } from '../sql/inventory.js'
import type { Clock } from '../core/clock.js'
import type { JournalEntry, RunState, StepRecord } from '../state/types.js'
import type { JsonObject } from '../core/json.js'
import type { Backups } from '../core/backups.js'

import type { Phase, RenderedAction, StoreRole } from '../core/step.js'
export { PHASES } from '../core/step.js'
export type { Phase, RenderedAction, StoreRole } from '../core/step.js'

/** One step of a compiled plan: plain data, so the preview and the run read the same thing. */
export interface Step {
  /** Stable and readable, e.g. `cutover.export.gc2010`. */
  readonly id: string
  readonly kind: string
  readonly phase: Phase
  readonly title: string
  /** The step's inputs: plan values only (secrets as `${env:NAME}`, never resolved here). */
  readonly input: JsonObject
  /** Hash of kind and input; a change after the step ran stops a resumed run. */
  readonly fingerprint: string
}


/** Everything a step may use while it runs; the engine builds it, steps never reach further. */
export interface RunContext {
  readonly plan: Plan
  readonly step: Step
  readonly host: Host
  /** A read-only connection to a store (cached for the run). */
  sql(store: StoreRole): Promise<SqlClient>
  readonly backups: Backups
  readonly clock: Clock
  /** Records of every step so far, for inputs that depend on earlier outputs (export → import). */
  readonly records: Readonly<Record<string, StepRecord>>
  /** Where this run keeps artifacts (step logs, reports). */
  readonly artifactsDir: string
  /** The plan's journal so far (the report reads its decisions). */
  journal(): Promise<JournalEntry[]>
  /** Which plan file this run is: its sha256 and, when known, its git commit (the report). */
  readonly planState: RunState['plan']
  progress(done: number, total: number, unit: string): void
  log(line: string): void
}

export interface StepOutput {
  readonly outputs?: JsonObject
  /** Non-fatal findings worth recording (Import -WhatIf warnings). */
  readonly warnings?: readonly string[]
}

/** What the preview knows beyond the plan: the inventories earlier runs froze (from the state).
 * With them, steps whose commands depend on the store (export -Scope, mappings) preview exactly. */
export interface RenderKnowledge {
  /** The best inventory known of a source: the frozen one (cutover.inventory.<source>), else the
   * preflight one; undefined before either has run. */
  inventory(source: string): Inventory | undefined
}

export const NOTHING_KNOWN: RenderKnowledge = { inventory: () => undefined }

/** A kind of step (DESIGN.md): how it previews, runs, checks and undoes itself. */
export interface StepKind {
  readonly kind: string
  /** Whether running it again after an interruption is safe. */
  readonly idempotent: boolean
  /** A person does it; the run pauses until `cutover approve`. */
  readonly manual?: boolean
  render(step: Step, plan: Plan, known: RenderKnowledge): readonly RenderedAction[]
  run(ctx: RunContext): Promise<StepOutput>
  /** Postcondition: true when the step's effect is already in place (settles a step found running). */
  check?(ctx: RunContext): Promise<boolean>
  /** Brings the world back to before the step so it can run again (import: restore the backup). */
  recover?(ctx: RunContext): Promise<void>
  /** Undoes a finished step, for `cutover rollback`. */
  undo?(ctx: RunContext, outputs: JsonObject | undefined): Promise<void>
}

/** Reads a typed field of a step's input, failing loudly on a compile/kind mismatch. */
export function inputOf<T>(step: Step): T {
  return step.input as unknown as T
}
