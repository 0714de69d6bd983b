import type { Backups } from '../core/backups.js'
import type { Clock } from '../core/clock.js'
import { fingerprint } from '../core/hash.js'
import type { Host } from '../core/host.js'
import type { JsonObject } from '../core/json.js'
import type { Platform } from '../core/platform.js'
import type { SqlClient } from '../core/sql-client.js'
import type { Phase, RenderedAction, Step, StepId, StoreRole } from '../core/step.js'
import type { Plan } from '../plan/types.js'
import type { Inventory } from '../sql/inventory.js'
import type { JournalEntry, RunState, StepRecord } from '../state/types.js'
import type { Placed } from './order.js'

/** What the engine must know of a kind before it runs one of its steps. */
export interface Traits {
  /** Running it again after an interruption is safe. */
  readonly idempotent: boolean
  /** A person does it; the run pauses until `cutover approve`. */
  readonly manual?: true
  /** Once done, the legacy deployment cannot be rolled back to (rollback refuses). */
  readonly irreversible?: true
}

/** Everything a step may use while it runs; the engine builds it, steps never reach further.
 * The plan is not here: whatever a step reads is in its input, so its fingerprint covers it. */
export interface RunContext {
  readonly host: Host
  readonly platform: Platform
  /** A read-only connection to a store (cached for the run). */
  sql(store: StoreRole): Promise<SqlClient>
  readonly backups: Backups
  readonly clock: Clock
  /** The record of an earlier step, for inputs that depend on its outputs (export → import). */
  record(id: StepId): StepRecord | undefined
  /** Where this run keeps artifacts (step logs, reports). */
  readonly artifactsDir: string
  /** The plan's journal so far. */
  journal(): Promise<JournalEntry[]>
  /** Which plan file this run is: its sha256 and, when known, its git commit. */
  readonly planState: RunState['plan']
  /** Writes the run report from the state and the journal; returns the file written. */
  writeReport(): Promise<string>
  /** Aborted when the run is interrupted (Ctrl-C): hosts stop what they run. */
  readonly signal: AbortSignal
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
  /** The best inventory known of a source: the frozen one, else the preflight one; undefined
   * before either has run. */
  inventory(source: string): Inventory | undefined
  /** The sha256 of that inventory as its artifact is written, and where it came from (the step
   * that recorded it, or `plan --inventory`): what a reviewed plan records and compares. */
  inventoryDigest?(source: string): { readonly sha256: string; readonly from: string } | undefined
}

export const NOTHING_KNOWN: RenderKnowledge = { inventory: () => undefined }

/** Minutes a step is expected to take and where the figure comes from. */
export interface Forecast {
  readonly minutes: number
  readonly basis: 'inventory' | 'default'
}

/**
 * A kind of step: its traits, the steps it makes of a plan (ids included, each placed in the
 * documented order), its forecast, and how it previews, runs, checks, recovers and undoes one.
 * One module per kind, listed once in steps/registry.ts.
 */
export interface StepKind<K extends string = string, I extends JsonObject = JsonObject> {
  readonly kind: K
  readonly traits: Traits
  /** The steps of this kind a plan needs, placed in the documented order; pure. */
  fromPlan(plan: Plan, platform: Platform): readonly Placed<Step<K, I>>[]
  /** Minutes a cutover step is expected to take, when nothing was recorded (the window must fit
   * them); `known` sizes the steps that move messages. */
  forecast?(step: Step<K, I>, known: RenderKnowledge): Forecast
  /** Exactly what `run` does, for the preview. */
  preview(step: Step<K, I>, known: RenderKnowledge, platform: Platform): readonly RenderedAction[]
  run(step: Step<K, I>, ctx: RunContext): Promise<StepOutput>
  /** Postcondition: true when the step's effect is already in place (settles a step found running). */
  check?(step: Step<K, I>, ctx: RunContext): Promise<boolean>
  /** Brings the world back to before the step so it can run again (import: restore the backup). */
  recover?(step: Step<K, I>, ctx: RunContext): Promise<void>
  /** Undoes a finished step, for `cutover rollback`; `outputs` are what it recorded. */
  undo?(step: Step<K, I>, ctx: RunContext, outputs: JsonObject | undefined): Promise<void>
}

/** Declares a kind; the identity, so that K and I are inferred and checked in one place. */
export function defineStep<K extends string, I extends JsonObject>(kind: StepKind<K, I>): StepKind<K, I> {
  return kind
}

/** A step of kind K with its fingerprint computed from kind and input, the first time it is read:
 * validate compiles a plan with checkpoints only for its step ids, and hashing every step's input
 * (and loading node:crypto for it) was a third of that (issue 14). Inputs are never changed after
 * this, so the value is the one an eager hash would give; spreading or serialising a step reads it. */
export function makeStep<K extends string, I extends JsonObject>(kind: K, id: StepId<K>, phase: Phase, title: string, input: I): Step<K, I> {
  let hashed: string | undefined
  return {
    id,
    kind,
    phase,
    title,
    input,
    get fingerprint() {
      return (hashed ??= fingerprint(kind, input))
    },
  }
}

/** Whether `step` is one of `kind`'s, with its typed input. */
export function isStepOf<K extends string, I extends JsonObject>(kind: StepKind<K, I>, step: Step): step is Step<K, I> {
  return step.kind === kind.kind
}
