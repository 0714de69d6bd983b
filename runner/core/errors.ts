/**
 * The errors cutover raises on purpose. Each carries the exit code the CLI returns for it, so the
 * CLI maps errors to exit codes in one place (runner/cli/main.ts) and a new error class cannot
 * silently become "unexpected". The message is the one line the admin reads; `cause` keeps the
 * underlying error for `--debug`.
 */

/** Exit codes; scripts and CI depend on them, so they never change meaning. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  paused: 3,
  locked: 4,
  stepsRemain: 10,
  /** Stopped by Ctrl-C (128 + SIGINT), as shells report it. */
  interrupted: 130,
} as const
export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** An error the admin acts on: one line that says what to do, and the exit code it means. */
export abstract class CutoverError extends Error {
  abstract readonly exitCode: ExitCode
}

/** A step found something a person must look at before the run goes on (Import -WhatIf
 * warnings with rooms.importWarnings: stop). The engine pauses on the step, awaiting approval
 * (exit 3); once `cutover approve` records it, the next apply goes past the step. */
export class ApprovalNeededError extends CutoverError {
  override readonly name = 'ApprovalNeededError'
  readonly exitCode = EXIT.paused
}

/** The command line is wrong: unknown option, missing argument, unreadable file. Exit 2. */
export class UsageError extends CutoverError {
  override readonly name = 'UsageError'
  readonly exitCode = EXIT.usage
}

/** The plan is invalid; the findings were already reported. Exit 1. */
export class PlanInvalidError extends CutoverError {
  override readonly name = 'PlanInvalidError'
  readonly exitCode = EXIT.failed
}

/** A command that only reads found nothing to read, and will not create it (a lab emulator that
 * does not exist yet). Exit 1. */
export class NothingToReadError extends CutoverError {
  override readonly name = 'NothingToReadError'
  readonly exitCode = EXIT.failed
}

/** The command was stopped by Ctrl-C; what ran is recorded, the lock released. Exit 130. */
export class InterruptedError extends CutoverError {
  override readonly name = 'InterruptedError'
  readonly exitCode = EXIT.interrupted
}
