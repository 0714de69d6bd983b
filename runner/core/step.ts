import type { Command } from './command.js'
import type { JsonObject } from './json.js'

export const PHASES = ['preflight', 'prepare', 'cutover', 'post'] as const
export type Phase = (typeof PHASES)[number]

declare const stepKind: unique symbol

/**
 * A step id that carries the kind of the step it names, e.g. `StepId<'export'>` for
 * `cutover.export.gc2010`. Ids are made only by the module of the kind that produces the step
 * (its `…Id()` function), so a step that needs another's output names it through that function
 * and cannot name a step no kind produces; a test checks that every id an input names is a step
 * compiled before it.
 */
export type StepId<K extends string = string> = string & { readonly [stepKind]: K }

/** Makes a typed id; called only by the kind module that produces steps of kind `K`. */
export function stepId<K extends string>(_kind: K, id: string): StepId<K> {
  return id as StepId<K>
}

/** One step of a compiled plan: plain data, so the preview and the run read the same thing. */
export interface Step<K extends string = string, I extends JsonObject = JsonObject> {
  /** Stable and readable, e.g. `cutover.export.gc2010`. */
  readonly id: StepId<K>
  readonly kind: K
  readonly phase: Phase
  readonly title: string
  /** Everything the step reads, from the plan: secrets as `${env:NAME}`, never resolved here. */
  readonly input: I
  /** Hash of kind and input; a change after the step ran stops a resumed run. */
  readonly fingerprint: string
}

export type StoreRole = { readonly kind: 'source'; readonly id: string } | { readonly kind: 'target' }

/** What the preview shows for a step: the exact commands, or the SQL it reads, or what a person does. */
export type RenderedAction =
  | { readonly type: 'commands'; readonly commands: readonly Command[] }
  | { readonly type: 'sql'; readonly store: string; readonly queries: readonly string[] }
  /** `statements`: the SQL Server statements the backup runs (none in the lab, which copies the
   * SQLite file with its backup API). */
  | { readonly type: 'backup'; readonly store: string; readonly to: string; readonly statements?: readonly string[] }
  | { readonly type: 'manual'; readonly instructions: string }
  | { readonly type: 'report'; readonly file: string }
  /** Something the preview cannot show exactly yet, and why. */
  | { readonly type: 'note'; readonly text: string }
