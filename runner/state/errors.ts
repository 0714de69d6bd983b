import { CutoverError, EXIT } from '../core/errors.js'
import type { LockHolder } from './types.js'

/** Why a lock is refused, which decides what the message tells the admin to do. */
export const LOCK_REFUSALS = {
  /** The holder's process still runs on this host. */
  running: 'running',
  /** The holder ran on another host, whose processes cannot be checked from here. */
  otherHost: 'other-host',
  /** Someone else is taking the lock over at this very moment. */
  contended: 'contended',
} as const
export type LockRefusal = (typeof LOCK_REFUSALS)[keyof typeof LOCK_REFUSALS]

/** Another cutover holds the plan's lock. Exit 4. */
export class LockedError extends CutoverError {
  override readonly name = 'LockedError'
  readonly exitCode = EXIT.locked
  readonly holder: LockHolder
  readonly file: string | undefined
  readonly refusal: LockRefusal

  constructor(holder: LockHolder, refusal: LockRefusal, opts: { readonly file?: string; readonly breaking?: boolean } = {}) {
    super(lockedMessage(holder, refusal, opts.breaking === true, opts.file))
    this.holder = holder
    this.file = opts.file
    this.refusal = refusal
  }
}

function lockedMessage(holder: LockHolder, refusal: LockRefusal, breaking: boolean, file: string | undefined): string {
  const who = `pid ${holder.pid} on host ${holder.host} since ${holder.startedAt} (user ${holder.user}: ${holder.command})`
  // The last resort, named: a pid can be reused (after a reboot) by a process that is no cutover.
  const lastResort = file === undefined ? '' : `. If you have checked that pid ${holder.pid} is not a cutover (ps, Task Manager), deleting ${file} clears the lock`
  switch (refusal) {
    case LOCK_REFUSALS.running:
      return breaking
        ? `not unlocking: the lock holder is still running, ${who}; stop that process first, or wait for it to finish. If that pid now belongs to another program, \`cutover unlock --force\` clears the lock where this system shows what runs under it${lastResort}`
        : `locked by a cutover that is still running, ${who}; wait for it to finish, or if that process is gone, run \`cutover unlock\` (\`--force\` when the pid now belongs to another program)${lastResort}`
    case LOCK_REFUSALS.otherHost:
      return breaking
        ? `locked from another host, ${who}; cutover cannot check from here whether it still runs. If it does not, run \`cutover unlock --force\``
        : `locked from another host, ${who}; wait for it to finish, or if that process is gone, run \`cutover unlock --force\``
    case LOCK_REFUSALS.contended:
      return `locked: another cutover is taking over the lock left by ${who} right now; try again in a moment`
  }
}

/** A state, journal or lock file cannot be trusted. cutover stops rather than starting the
 * migration from zero over a run it cannot read. Exit 1. */
export class StateCorruptError extends CutoverError {
  override readonly name = 'StateCorruptError'
  readonly exitCode = EXIT.failed
  readonly file: string
  readonly problem: string

  constructor(file: string, problem: string, recovery: string) {
    super(`${file}: ${problem}. ${recovery}`)
    this.file = file
    this.problem = problem
  }
}
