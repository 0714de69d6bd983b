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
