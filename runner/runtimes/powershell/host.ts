import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { formatElapsed } from '../../core/time.js'
import type { Command } from '../../core/command.js'
import type { CommandResult, Host, HostRunOptions } from '../../core/host.js'
import { LineSplitter, Tail } from './output-lines.js'
import { InterruptedError } from '../../core/errors.js'
import { spawnTree } from './process-tree.js'
import type { TreeProcess } from './process-tree.js'
import { RESULT_MARKER } from './protocol.js'
import type { ScriptResult } from './protocol.js'
import { MAX_RESULT_LINE_CHARS, MalformedResultError, parseScriptResult, toCommandResult } from './result-line.js'

/** Per script, unless the plan says otherwise: an export or import of a large Group Chat store
 * takes a while, but a script that runs longer than this is hung. */
export const DEFAULT_SCRIPT_TIMEOUT_MS = 2 * 60 * 60 * 1000

/** The arguments before the script's path: no profile (an admin's profile must not change what
 * runs), never prompt, and run the unsigned script cutover just wrote. */
export const POWERSHELL_ARGS = ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File'] as const

/** A log line longer than this is cut (the rest is counted, not kept). */
export const MAX_LOG_LINE_CHARS = 16 * 1024
/** How many lines of output an error message quotes, and how wide each. */
const TAIL_LINES = 10
const TAIL_WIDTH = 500
/** After the script exits, how long to wait for output still held open by a process it started. */
const OUTPUT_GRACE_MS = 2000

export interface PowerShellHostOptions {
  /** `powershell` (Windows PowerShell 5.1, powershell.exe), `pwsh` (PowerShell 7), or the path
   * of an executable that takes the same arguments. */
  readonly shell: 'powershell' | 'pwsh' | (string & Record<never, never>)
  /** Where scripts are written (under the run's artifacts), so the admin can read what ran. */
  readonly scriptsDir: string
  /** The script for one batch of commands of a step (runner/runtimes/powershell/script.ts's renderScript, bound to the plan). */
  render(commands: readonly Command[], stepId: string): string
  /** With environment.remote: the local script that runs the step's script (at `scriptPath`) on
   * the Lync server through PowerShell remoting. Without it the step's script runs here. */
  launcher?(scriptPath: string, stepId: string): string
  /** Per script; default DEFAULT_SCRIPT_TIMEOUT_MS (2 h). The whole process tree is killed. */
  readonly timeoutMs?: number
  /** The child's environment; default this process's. */
  readonly env?: NodeJS.ProcessEnv
  /** Scrubs secrets from what is logged and from error messages. */
  redact?(text: string): string
  /** How often a script that prints nothing says it still runs (default HEARTBEAT_MS). */
  readonly heartbeatMs?: number
}

/** An export or import can print nothing for an hour: every minute without output, the step log
 * (and the terminal) says the script still runs, for how long, and when it would be stopped. */
export const HEARTBEAT_MS = 60_000

/** The executable for `environment.shell`. */
export function shellExecutable(shell: string): string {
  if (shell === 'powershell') return 'powershell.exe'
  return shell
}

function spawnFailure(exe: string, shell: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const hint =
    shell === 'pwsh'
      ? 'install PowerShell 7 or set environment.shell: powershell'
      : shell === 'powershell'
        ? 'Windows PowerShell (powershell.exe) exists only on Windows; run cutover on the Lync server, or install PowerShell 7 and set environment.shell: pwsh'
        : 'check environment.shell'
  if (code === 'ENOENT') return `cannot start ${exe}: not found; ${hint}`
  if (code === 'EACCES') return `cannot start ${exe}: permission denied; ${hint}`
  return `cannot start ${exe}: ${error instanceof Error ? error.message : String(error)}`
}

interface Running {
  readonly tree: TreeProcess
  closedByHost: boolean
}

/**
 * The host on a Lync server: each batch of commands is rendered into one script, written to
 * `scriptsDir/<stepId>-<n>.ps1` (UTF-8 with BOM, which Windows PowerShell 5.1 needs to read
 * anything but ASCII correctly), and run as
 * `<shell> -NoProfile -NonInteractive -ExecutionPolicy Bypass -File <script>`.
 *
 * Output is streamed to the step log line by line (redacted) as it arrives, never held whole.
 * The batch succeeds only when PowerShell exits with 0, printed exactly one well-formed result
 * line (protocol.ts) with `ok: true` and one result per command, and wrote nothing to standard
 * error (the preamble sets `$ErrorActionPreference = 'Stop'`, so anything there is an error).
 * Otherwise it rejects saying which of those failed, with the last lines of output.
 */
export class PowerShellHost implements Host {
  readonly name: string
  private readonly exe: string
  /** Per script: a script still running after this long is killed with its process tree. */
  readonly timeoutMs: number
  private readonly redact: (text: string) => string
  private readonly nextNumber = new Map<string, number>()
  private readonly running = new Set<Running>()
  private closed = false

  constructor(private readonly options: PowerShellHostOptions) {
    this.exe = shellExecutable(options.shell)
    this.name = `PowerShell (${this.exe})`
    this.timeoutMs = options.timeoutMs ?? DEFAULT_SCRIPT_TIMEOUT_MS
    if (!Number.isInteger(this.timeoutMs) || this.timeoutMs <= 0 || this.timeoutMs > 2 ** 31 - 1) {
      throw new RangeError(`timeoutMs must be a whole number of milliseconds between 1 and ${2 ** 31 - 1}, not ${this.timeoutMs}`)
    }
    this.redact = options.redact ?? ((text) => text)
  }

  async run(commands: readonly Command[], opts: HostRunOptions): Promise<CommandResult[]> {
    if (this.closed) throw new Error('the PowerShell host is closed')
    const stepScript = await this.writeScript(opts.stepId, this.options.render(commands, opts.stepId))
    // The launcher is written beside the step's script, so both stay readable after the run.
    const script = this.options.launcher === undefined ? stepScript : await this.writeScript(`${opts.stepId}.remote`, this.options.launcher(stepScript, opts.stepId))
    opts.log(`${this.exe} -File ${script}${script === stepScript ? '' : ` (runs ${stepScript} through PowerShell remoting)`}`)

    const redact = this.redact
    const tail = new Tail(TAIL_LINES, TAIL_WIDTH)
    // Called from stream events: an exception here would be uncaught, so it is kept for the end.
    let logFailure: unknown
    // When the script last printed something: the heartbeat speaks only into a silence.
    let lastOutput = Date.now()
    const show = (line: string): void => {
      lastOutput = Date.now()
      try {
        const clean = redact(line)
        tail.add(clean)
        opts.log(clean)
      } catch (error) {
        logFailure ??= error
      }
    }
    const cut = (line: string, dropped: number): string => (dropped > 0 ? `${line}… (${dropped} more characters not shown)` : line)
    let resultLines = 0
    let resultJson: string | undefined
    let resultTooLong = false
    let stderrLines = 0
    const stdout = new LineSplitter(
      (line, dropped) => {
        if (!line.startsWith(RESULT_MARKER)) return show(cut(line, dropped))
        resultLines++
        if (dropped > 0) resultTooLong = true
        else if (resultLines === 1) resultJson = line.slice(RESULT_MARKER.length)
      },
      MAX_LOG_LINE_CHARS,
      MAX_RESULT_LINE_CHARS,
    )
    const stderr = new LineSplitter(
      (line, dropped) => {
        if (dropped === 0 && line.trim() === '') return
        stderrLines++
        show(`stderr: ${cut(line, dropped)}`)
      },
      MAX_LOG_LINE_CHARS,
      MAX_LOG_LINE_CHARS,
    )

    let tree: TreeProcess
    try {
      tree = await spawnTree(this.exe, [...POWERSHELL_ARGS, script], {
        env: this.options.env ?? process.env,
        onStdout: (chunk) => stdout.push(chunk),
        onStderr: (chunk) => stderr.push(chunk),
        graceMs: OUTPUT_GRACE_MS,
      })
    } catch (error) {
      throw new Error(spawnFailure(this.exe, this.options.shell, error))
    }
    const running: Running = { tree, closedByHost: false }
    this.running.add(running)
    if (this.closed) {
      // close() came while the script was being written: it must not run on.
      running.closedByHost = true
      void tree.killTree()
    }
    let timedOut = false
    // Ctrl-C: the whole tree goes at once, and the step ends as interrupted.
    let aborted = false
    const onAbort = () => {
      aborted = true
      void tree.killTree()
    }
    if (opts.signal?.aborted === true) onAbort()
    else opts.signal?.addEventListener('abort', onAbort, { once: true })
    const started = Date.now()
    const heartbeatMs = this.options.heartbeatMs ?? HEARTBEAT_MS
    const heartbeat = setInterval(() => {
      const now = Date.now()
      if (now - lastOutput < heartbeatMs) return
      lastOutput = now
      opts.log(`PowerShell still running after ${formatElapsed(now - started)} (stopped after ${formatElapsed(this.timeoutMs)}: environment.scriptTimeout)`)
    }, heartbeatMs)
    const timer = setTimeout(() => {
      timedOut = true
      void tree.killTree()
    }, this.timeoutMs)
    const exit = await tree.exited.finally(() => {
      clearTimeout(timer)
      clearInterval(heartbeat)
      opts.signal?.removeEventListener('abort', onAbort)
      this.running.delete(running)
    })
    stdout.end()
    stderr.end()
    if (exit.outputAbandoned) {
      opts.log(`PowerShell exited, but a process it started kept its output open; stopped reading after ${formatElapsed(OUTPUT_GRACE_MS)}`)
    }

    if (logFailure !== undefined) throw new Error(`could not log the script's output (${logFailure instanceof Error ? logFailure.message : String(logFailure)}); script ${script}`)
    const fail = (summary: string): Error => new Error(redact(`${summary}; script ${script}; last output:${tail.text()}`))
    if (aborted) throw new InterruptedError(`PowerShell was stopped (interrupted): it was killed with every process it started; script ${script}`)
    if (running.closedByHost) throw fail('PowerShell was stopped because cutover closed the host while the script ran')
    if (timedOut) throw fail(`PowerShell timed out after ${formatElapsed(this.timeoutMs)}; it was killed with every process it started`)
    if (resultTooLong) throw fail(`PowerShell printed a result line longer than ${MAX_RESULT_LINE_CHARS / 1024 / 1024} MiB`)

    let parsed: ScriptResult | undefined
    const problems: string[] = []
    if (resultLines === 0) problems.push('no result line')
    else if (resultLines > 1) problems.push(`${resultLines} result lines, expected one`)
    else {
      try {
        parsed = parseScriptResult(resultJson ?? '')
      } catch (error) {
        if (!(error instanceof MalformedResultError)) throw error
        problems.push(`malformed result line: ${error.message.slice(0, 300)}`)
      }
    }
    if (parsed !== undefined && !parsed.ok) {
      // The script caught a terminating error and said which: that is the message.
      if (parsed.error !== undefined && parsed.error.trim() !== '') throw new Error(redact(parsed.error))
      throw fail(`the script reported a failure without an error text (after ${parsed.results.length} of ${commands.length} commands)`)
    }
    if (parsed !== undefined && parsed.results.length !== commands.length) {
      problems.push(`the result line has ${parsed.results.length} result(s) for ${commands.length} command(s)`)
    }
    if (stderrLines > 0) problems.push(`${stderrLines} line(s) on standard error`)
    if (exit.code !== 0 || problems.length > 0 || parsed === undefined) {
      const status = exit.code !== null ? `exited with code ${exit.code}` : `was killed by ${exit.signal ?? 'a signal'}`
      throw fail(`PowerShell ${status}${problems.length > 0 ? ` (${problems.join('; ')})` : ''}`)
    }
    return parsed.results.map((r) => toCommandResult(r, redact))
  }

  /** Writes the script under a number not used yet, so no earlier script (of this run or of an
   * earlier attempt) is overwritten. */
  private async writeScript(stepId: string, text: string): Promise<string> {
    const dir = resolve(this.options.scriptsDir)
    await mkdir(dir, { recursive: true })
    const base = stepId.replace(/[^A-Za-z0-9._-]/g, '_')
    const body = Buffer.from(text.startsWith('\uFEFF') ? text : `\uFEFF${text}`, 'utf8')
    for (let n = this.nextNumber.get(base) ?? 1; ; n++) {
      const path = join(dir, `${base}-${n}.ps1`)
      try {
        await writeFile(path, body, { flag: 'wx' })
        this.nextNumber.set(base, n + 1)
        return path
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot write the script ${path}: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
  }

  /** Kills every script still running (with what it started) and waits for them to end. */
  async close(): Promise<void> {
    this.closed = true
    const all = [...this.running]
    for (const r of all) r.closedByHost = true
    await Promise.all(all.map((r) => r.tree.killTree()))
    await Promise.all(all.map((r) => r.tree.exited))
  }
}
