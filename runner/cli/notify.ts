import { spawn } from 'node:child_process'
import { appendFile, mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Secrets } from '../plan/secrets.js'
import { ENV_REF } from '../plan/rules/secrets.js'
import type { Plan } from '../plan/types.js'
import type { Output } from './output.js'

/** What `--notify` hands its command on stdin, as one JSON line. */
export interface NotifyEvent {
  readonly event: 'paused' | 'failed' | 'done' | 'interrupted'
  readonly plan: string
  /** The step the run paused or failed at; absent when there is none (done). */
  readonly step?: string
  readonly message: string
  /** ISO 8601, UTC. */
  readonly at: string
}

export interface NotifySetup {
  readonly plan: Plan
  readonly secrets: Secrets
  /** Where the command's output and exit go (never stdout: `--json` output stays NDJSON). */
  readonly logFile: string
  readonly out: Output
  /** Killed after this long; default 30 s, so a hanging mail server cannot hold the run's exit. */
  readonly timeoutMs?: number
  readonly env?: Readonly<Record<string, string | undefined>>
}

const TIMEOUT_MS = 30_000
/** Enough of the command's output to see why it failed. */
const KEPT = 16_384

/** The environment for the command: this process's, without the variables the plan names as
 * `${env:NAME}` (its secrets): a webhook command needs PATH and its own URL, never the SQL password. */
export function notifyEnv(plan: Plan, env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const secret = new Set([...JSON.stringify(plan).matchAll(ENV_REF)].map((m) => m[1]))
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !secret.has(k)) out[k] = v
  return out
}

/**
 * Runs `command` through the shell with `event` as one JSON line on stdin (message redacted as
 * everything the run writes). Its output and exit go to the log file; a failure, a timeout or a
 * command that cannot start prints one warning line on stderr. Never throws and never changes
 * the run's outcome: telling someone is not part of the migration.
 */
export async function notify(command: string, event: NotifyEvent, setup: NotifySetup): Promise<void> {
  const redact = (t: string) => setup.secrets.redact(t)
  const line = JSON.stringify({ ...event, message: redact(event.message) })
  const timeoutMs = setup.timeoutMs ?? TIMEOUT_MS
  let why: string | undefined
  let output = ''
  try {
    const result = await runShell(command, line, timeoutMs, notifyEnv(setup.plan, setup.env ?? process.env))
    output = result.output
    if (result.timedOut) why = `it did not finish within ${timeoutMs / 1000} s and was stopped`
    else if (result.error !== undefined) why = `it could not start (${result.error})`
    else if (result.code !== 0) why = `it exited ${result.code ?? `on ${result.signal ?? 'a signal'}`}`
  } catch (e) {
    why = `it could not start (${e instanceof Error ? e.message : String(e)})`
  }
  const logged = await log(setup.logFile, `${event.at} --notify ${event.event}${event.step === undefined ? '' : ` at ${event.step}`}: ${why ?? 'ok'}\n${redact(output)}${output.endsWith('\n') || output === '' ? '' : '\n'}`)
  if (why !== undefined) setup.out.stderr(`cutover: warning: --notify failed: ${redact(why)}; the run's outcome is unchanged${logged ? `; its output is in ${setup.logFile}` : ''}`)
}

interface ShellResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly output: string
  readonly timedOut: boolean
  readonly error?: string
}

function runShell(command: string, input: string, timeoutMs: number, env: Record<string, string>): Promise<ShellResult> {
  return new Promise((resolve) => {
    // Its own process group on POSIX, so the timeout stops what the shell started (curl) too.
    const child = spawn(command, { shell: true, env, stdio: ['pipe', 'pipe', 'pipe'], detached: process.platform !== 'win32', windowsHide: true })
    let output = ''
    let timedOut = false
    let error: string | undefined
    const keep = (b: Buffer) => {
      if (output.length < KEPT) output += b.toString('utf8').slice(0, KEPT - output.length)
    }
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    child.on('error', (e) => {
      error = e.message
    })
    const timer = setTimeout(() => {
      timedOut = true
      try {
        if (process.platform !== 'win32' && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
        else child.kill('SIGKILL')
      } catch {
        // Already gone.
      }
    }, timeoutMs)
    // A command that does not read its stdin must not fail the write (EPIPE).
    child.stdin.on('error', () => undefined)
    child.stdin.end(input + '\n')
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, output, timedOut, ...(error === undefined ? {} : { error }) })
    })
  })
}

async function log(file: string, text: string): Promise<boolean> {
  try {
    await mkdir(dirname(file), { recursive: true })
    await appendFile(file, text)
    return true
  } catch {
    return false
  }
}
