/** Errors of the engine; each carries its exit code (runner/core/errors.ts). */
import { CutoverError, EXIT } from '../core/errors.js'

/** Steps that already ran changed in the plan, or records of the state name steps the plan no
 * longer has; the run stops before doing anything. Exit 1. */
export class PlanChangedError extends CutoverError {
  override readonly name = 'PlanChangedError'
  readonly exitCode = EXIT.failed
  constructor(readonly steps: readonly string[], message?: string) {
    super(message ?? `the plan changed for steps that already ran: ${steps.join(', ')}; review the change, then run apply again with --accept-changes to keep their results`)
  }
}

/** A command was refused for a reason the admin must settle (nothing to resolve, nothing to roll
 * back, a rollback that stopped). Exit 1. */
export class RefusedError extends CutoverError {
  override readonly name = 'RefusedError'
  readonly exitCode = EXIT.failed
}

/** The saved state and the journal disagree (a state lost or restored from an older copy, a
 * journal emptied or edited): nothing runs until `cutover repair` rebuilds the state from the
 * journal, so a done step never runs twice by accident. Exit 1. */
export class StateMismatchError extends CutoverError {
  override readonly name = 'StateMismatchError'
  readonly exitCode = EXIT.failed
  constructor(why: string, planRef: string) {
    super(`the state and the journal disagree: ${why}; nothing was run. Check with cutover status ${planRef}, then run cutover repair ${planRef} to rebuild the state from the journal`)
  }
}
