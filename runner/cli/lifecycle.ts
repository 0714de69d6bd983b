import { EXIT, UsageError } from '../core/errors.js'
import type { ExitCode } from '../core/errors.js'
import type { Output } from './output.js'
import { ask } from './prompt.js'

/** How a command that changes something asks before it does. */
export interface Confirmation {
  /** --yes was given: do not ask. */
  readonly yes: boolean
  /** What the command will do, shown before the question. */
  readonly preface?: readonly string[]
  /** The question; the command runs only when the answer is `yes`. */
  readonly question: string
  /** Without a terminal to ask on: refuse (a usage error naming --yes) or go ahead. */
  readonly withoutTerminal: 'refuse' | 'proceed'
  /** What --yes does, for the refusal: `pass --yes to run the plan`. */
  readonly yesMeans?: string
}

export interface ChangeCommand {
  /** The command's name, for messages (`apply`, `rollback`, ...). */
  readonly name: string
  readonly out: Output
  /** Asked on a terminal before `work`; none for commands whose invocation is the decision. */
  readonly confirm?: Confirmation
  /** The change. `signal` aborts on Ctrl-C: the work stops what runs, records it and returns. */
  work(signal: AbortSignal): Promise<ExitCode>
  /** Runs once after the work, whatever its outcome, Ctrl-C included (the report, closing the
   * runtime); its failure is reported but does not hide the work's exit code. */
  after?(): Promise<void>
}

/**
 * The one lifecycle of every command that changes something (apply, rollback, approve, resolve,
 * unlock, lab init, init): confirmation on a terminal, Ctrl-C, the work, one closing step. A first
 * Ctrl-C aborts the work, which stops the running script's process tree, journals `interrupted`
 * and releases the lock; the command then exits 130. A second Ctrl-C exits at once (what runs on
 * the host is killed on exit; the lock is then stale and taken over by the next apply).
 */
export async function runChange(cmd: ChangeCommand): Promise<ExitCode> {
  const controller = new AbortController()
  let interrupts = 0
  const onInterrupt = () => {
    interrupts++
    if (interrupts === 1) {
      cmd.out.stderr(`cutover: interrupted; stopping ${cmd.name} (press Ctrl-C again to quit at once)`)
      controller.abort()
    } else {
      cmd.out.stderr('cutover: quitting now; what was running is killed, the lock is left for the next run to take over')
      process.exit(EXIT.interrupted)
    }
  }
  process.on('SIGINT', onInterrupt)
  let started = false
  try {
    if (cmd.confirm !== undefined && !(await confirmed(cmd, cmd.confirm, controller.signal))) {
      // Declined or unanswered: nothing ran, so nothing is written either.
      cmd.out.stderr('cutover: nothing was done')
      return controller.signal.aborted ? EXIT.interrupted : EXIT.usage
    }
    started = true
    const code = await cmd.work(controller.signal)
    return controller.signal.aborted ? EXIT.interrupted : code
  } finally {
    try {
      if (started) await cmd.after?.()
    } finally {
      process.removeListener('SIGINT', onInterrupt)
    }
  }
}

async function confirmed(cmd: ChangeCommand, c: Confirmation, signal: AbortSignal): Promise<boolean> {
  if (c.yes) return true
  if (process.stdin.isTTY !== true) {
    if (c.withoutTerminal === 'proceed') return true
    throw new UsageError(`${cmd.name}: no terminal to ask for confirmation; pass --yes${c.yesMeans === undefined ? '' : ` ${c.yesMeans}`}`)
  }
  for (const line of c.preface ?? []) cmd.out.stderr(line)
  const answer = await ask(`${c.question} Type yes to continue: `, signal)
  return answer.trim().toLowerCase() === 'yes'
}
