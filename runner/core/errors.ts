/** The few errors cutover raises on purpose; the CLI maps each to an exit code in one place. */

/** The command line is wrong: unknown option, missing argument, unreadable file. Exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** The plan is invalid; the findings were already reported. Exit 1. */
export class PlanInvalidError extends Error {
  override readonly name = 'PlanInvalidError'
}
