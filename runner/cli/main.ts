import { CutoverError, EXIT, UsageError } from '../core/errors.js'
import type { ExitCode } from '../core/errors.js'
import { cutoverVersion } from '../version.js'
import { setDebug, stackWithCauses } from './debug.js'
import { guardStdout, processOutput } from './output.js'
import type { Output } from './output.js'

interface Command {
  readonly summary: string
  /** Loaded on demand so that `cutover --version` and `validate` stay fast. */
  readonly load: () => Promise<{ run(argv: readonly string[], out: Output): Promise<ExitCode>; usage: string }>
}

const COMMANDS: Readonly<Record<string, Command>> = {
  validate: { summary: 'check plans: YAML, schema and semantic rules', load: () => import('./commands/validate.js') },
  check: { summary: 'readiness check against the servers, read-only: one line per problem, with what to run', load: () => import('./commands/check.js') },
  plan: { summary: 'dry run: every step, its status and the exact PowerShell/SQL it will run', load: () => import('./commands/plan.js') },
  apply: { summary: 'run the plan, or continue it where it stopped', load: () => import('./commands/apply.js') },
  status: { summary: 'show every step: status, attempts, durations, approvals', load: () => import('./commands/status.js') },
  approve: { summary: 'record the approval of a manual step', load: () => import('./commands/approve.js') },
  resolve: { summary: 'settle a step that was interrupted mid-run (--done | --retry)', load: () => import('./commands/resolve.js') },
  repair: { summary: 'rebuild the state from the journal when the two disagree', load: () => import('./commands/repair.js') },
  report: { summary: 'the run report, rebuilt from the state and the journal', load: () => import('./commands/report.js') },
  rollback: { summary: 'undo the finished cutover steps, newest first', load: () => import('./commands/rollback.js') },
  unlock: { summary: 'clear a stale lock (refuses while its holder runs)', load: () => import('./commands/unlock.js') },
  init: { summary: "write a starting plan from a legacy store's inventory", load: () => import('./commands/init.js') },
  lab: { summary: 'lab init: create the embedded lab emulator', load: () => import('./commands/lab.js') },
}

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length))
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
  return [
    'cutover: migrate Lync Server 2010 / OCS 2007 R2 Group Chat to Lync Server 2013 Persistent Chat',
    '',
    'usage: cutover <command> [options]    (cutover <command> --help for its options)',
    '',
    'commands:',
    ...lines,
    '',
    'global options: --debug (stack traces), --version, --help',
    'exit codes: 0 done, 1 failed, 2 usage, 3 paused, 4 locked, 10 steps remain (plan --detailed-exitcode)',
  ].join('\n')
}


/** Runs the command line and returns the exit code; never throws. */
export async function main(argv: readonly string[], out: Output = processOutput): Promise<ExitCode> {
  if (out === processOutput) guardStdout()
  const debug = argv.includes('--debug')
  setDebug(debug)
  const args = argv.filter((a) => a !== '--debug')
  const [name, ...rest] = args
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      out.stdout(help())
      return name === undefined ? EXIT.usage : EXIT.ok
    }
    if (name === '--version' || name === '-v') {
      out.stdout(cutoverVersion())
      return EXIT.ok
    }
    const command = COMMANDS[name]
    if (command === undefined) throw new UsageError(`unknown command '${name}'; commands: ${Object.keys(COMMANDS).join(', ')}`)
    const mod = await command.load()
    if (rest.includes('--help') || rest.includes('-h')) {
      out.stdout(mod.usage)
      return EXIT.ok
    }
    return await mod.run(rest, out)
  } catch (e) {
    if (e instanceof UsageError) {
      out.stderr(`cutover: error: ${e.message}`)
      out.stderr(`run 'cutover ${name !== undefined && COMMANDS[name] !== undefined ? `${name} ` : ''}--help' for usage`)
      return e.exitCode
    }
    if (e instanceof CutoverError) {
      // Failures the admin acts on: one line that says what to do, the exit code the error
      // carries, and with --debug the stack and every cause.
      out.stderr(`cutover: error: ${e.message}`)
      if (debug) out.stderr(stackWithCauses(e))
      return e.exitCode
    }
    const err = e instanceof Error ? e : new Error(String(e))
    out.stderr(`cutover: error: ${err.message.split('\n')[0] ?? ''}`)
    if (debug) out.stderr(stackWithCauses(err))
    else out.stderr('(run again with --debug for the details)')
    return EXIT.failed
  }
}
