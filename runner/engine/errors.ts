/** Errors of the engine that the CLI maps to exit codes (runner/cli/main.ts). */

/** Steps that already ran changed in the plan; the run stops before doing anything. Exit 1. */
export class PlanChangedError extends Error {
  override readonly name = 'PlanChangedError'
  constructor(readonly steps: readonly string[]) {
    super(`the plan changed for steps that already ran: ${steps.join(', ')}; review the change, then run apply again with --accept-changes to keep their results`)
  }
}

/** A step failed; carries the step and the cause (umzug's MigrationError). Exit 1. */
export class StepError extends Error {
  override readonly name = 'StepError'
  constructor(readonly stepId: string, message: string, options?: { cause?: unknown }) {
    super(`${stepId}: ${message}`, options)
  }
}

/** A command was refused for a reason the admin must settle (window closed, nothing to resolve). Exit 1. */
export class RefusedError extends Error {
  override readonly name = 'RefusedError'
}
