import type { Severity } from '../findings.js'
import type { Plan } from '../types.js'
import type { Path } from '../yaml.js'

export interface RuleReport {
  readonly path: Path
  /** Point at the key (`name:`) rather than its value. */
  readonly part?: 'key' | 'value'
  readonly severity: Severity
  readonly message: string
}

export interface RuleContext {
  readonly plan: Plan
  report(r: RuleReport): void
  /** Line of a place in the plan, for messages that point at a second place ("first at line 12"). */
  lineOf(path: Path): number
  /** The ids of the steps the plan compiles (without its checkpoints), when the caller can
   * compile it (the CLI); rules that need them are silent without. */
  stepIds?(): readonly string[]
}

/** A semantic check: one id, one small function that reports errors or warnings. */
export interface Rule {
  readonly id: string
  readonly describe: string
  check(ctx: RuleContext): void
}
