/**
 * Fault injection for the lab emulator (`CUTOVER_LAB_FAULTS`), so tests can kill and resume real
 * runs. Comma-separated specs:
 *   crash:<Cmdlet>@<fraction>  SIGKILL this process once that fraction (0..1) of the command's work
 *                              is durably done (import: message batches committed; export: messages
 *                              written; Copy-Item: files copied; other cmdlets: @0 before, else after
 *                              the command); fires once per lab (recorded first), so a resumed run
 *                              with the same environment gets through
 *   fail:<Cmdlet>@<n>          the n-th invocation of the cmdlet (counted across processes) throws
 *   pause:<Cmdlet>@<fraction>  at that point of the command's work, say so on stderr (and create
 *                              paused.flag in the lab folder, for tests that cannot read stderr
 *                              live, under a terminal renderer) and wait (at most 60 s) until the
 *                              run is interrupted (Ctrl-C), which then stops the command there;
 *                              fires once per lab, like crash:
 *   verify:missing-room        the import silently drops one room, for verification to catch
 *   export:ignores-startdate   Export-CsPersistentChatData exports all content whatever -StartDate
 *                              says (its page says the parameter is "valid only when Level is set
 *                              to RoomDirectory"; a real export may well ignore it with -Level All)
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { delay } from '../core/delay.js'
import { writeFileAtomic } from './atomic-file.js'
import { LabCommandError, LabError } from './errors.js'

export const FAULTS_ENV = 'CUTOVER_LAB_FAULTS'

/** The pid of the apply a crash fault also kills, when the emulator runs in another process
 * (runner/cli/lab-powershell-runtime.ts sets it). */
/** Created in the lab folder when a pause: fault starts waiting. */
export const PAUSED_FLAG = 'paused.flag'

export const RUN_PID_ENV = 'CUTOVER_LAB_RUN_PID'

export type Fault =
  | { readonly kind: 'crash' | 'pause'; readonly cmdlet: string; readonly fraction: number; readonly spec: string }
  | { readonly kind: 'fail'; readonly cmdlet: string; readonly invocation: number; readonly spec: string }
  | { readonly kind: 'verify'; readonly what: 'missing-room'; readonly spec: string }
  | { readonly kind: 'export'; readonly what: 'ignores-startdate'; readonly spec: string }

const USAGE = 'write crash:<Cmdlet>@<fraction 0..1>, pause:<Cmdlet>@<fraction 0..1>, fail:<Cmdlet>@<n>, verify:missing-room or export:ignores-startdate, separated by commas'

/** Parses a fault list strictly; `cmdlets` are the names the lab emulator knows. */
export function parseFaults(text: string | undefined, cmdlets: readonly string[]): Fault[] {
  if (text === undefined || text.trim() === '') return []
  return text.split(',').map((raw) => {
    const spec = raw.trim()
    const bad = (why: string): LabError => new LabError(`${FAULTS_ENV}: '${spec}' ${why}; ${USAGE}`)
    if (spec === 'verify:missing-room') return { kind: 'verify', what: 'missing-room', spec }
    if (spec === 'export:ignores-startdate') return { kind: 'export', what: 'ignores-startdate', spec }
    const m = /^(crash|pause|fail):([A-Za-z-]+)@(.+)$/.exec(spec)
    if (m === null) throw bad('is not a fault spec')
    const [, kind, name, arg] = m as unknown as [string, 'crash' | 'pause' | 'fail', string, string]
    const cmdlet = cmdlets.find((c) => c.toLowerCase() === name.toLowerCase())
    if (cmdlet === undefined) throw bad(`names no cmdlet the lab emulator knows`)
    if (kind === 'crash' || kind === 'pause') {
      const fraction = /^(0(\.\d+)?|1(\.0+)?)$/.test(arg) ? Number(arg) : Number.NaN
      if (Number.isNaN(fraction)) throw bad('has no fraction between 0 and 1')
      return { kind, cmdlet, fraction, spec }
    }
    if (!/^[1-9]\d*$/.test(arg)) throw bad('has no invocation number (1, 2, ...)')
    return { kind, cmdlet, invocation: Number(arg), spec }
  })
}

interface FaultState {
  /** Invocations so far of each cmdlet a fail: spec names. */
  readonly invocations: Readonly<Record<string, number>>
  /** crash: specs that already fired. */
  readonly crashed: readonly string[]
}

/** Applies parsed faults; its state lives in the lab folder so it holds across processes. */
export class FaultInjector {
  private readonly file: string

  constructor(
    labDir: string,
    private readonly faults: readonly Fault[],
  ) {
    this.file = join(labDir, 'faults.json')
  }

  /** export:ignores-startdate: the export behaves as if -StartDate were not given. */
  get ignoresStartDate(): boolean {
    return this.faults.some((f) => f.kind === 'export')
  }

  get dropsRoom(): boolean {
    return this.faults.some((f) => f.kind === 'verify')
  }

  /** Counts this invocation and throws when a fail: spec names it. */
  async beforeInvocation(cmdlet: string): Promise<void> {
    const fails = this.faults.filter((f) => f.kind === 'fail' && f.cmdlet === cmdlet)
    if (fails.length === 0) return
    const state = this.read()
    const count = (state.invocations[cmdlet] ?? 0) + 1
    await this.write({ ...state, invocations: { ...state.invocations, [cmdlet]: count } })
    const hit = fails.find((f) => f.kind === 'fail' && f.invocation === count)
    if (hit !== undefined) throw new LabCommandError(cmdlet, `injected failure (${FAULTS_ENV} ${hit.spec}): invocation ${count} of ${cmdlet} fails on purpose`)
  }

  /** Call after durable work: `done` of `total` units are committed. Kills the process when a
   * crash: spec for this cmdlet is due and has not fired yet; waits for `signal` when a pause:
   * spec is. */
  async checkpoint(cmdlet: string, done: number, total: number, signal?: AbortSignal): Promise<void> {
    const ratio = total <= 0 ? 1 : done / total
    for (const f of this.faults) {
      if ((f.kind !== 'crash' && f.kind !== 'pause') || f.cmdlet !== cmdlet || ratio < f.fraction) continue
      const state = this.read()
      if (state.crashed.includes(f.spec)) continue
      // Recorded first, so that the resumed run is not stopped again.
      await this.write({ ...state, crashed: [...state.crashed, f.spec] })
      if (f.kind === 'pause') {
        process.stderr.write(`lab emulator: paused (${FAULTS_ENV} ${f.spec}) after ${done} of ${total}; waiting to be interrupted\n`)
        writeFileSync(join(dirname(this.file), PAUSED_FLAG), `${f.spec}\n`)
        await delay(60_000, signal)
        continue
      }
      process.stderr.write(`lab emulator: injected crash (${FAULTS_ENV} ${f.spec}) after ${done} of ${total}\n`)
      // Through the real PowerShell host the emulator runs in a child of pwsh (`cutover lab
      // cmdlet`): a power cut takes the apply down too, so it is killed first.
      const run = Number(process.env[RUN_PID_ENV])
      if (Number.isInteger(run) && run > 0 && run !== process.pid) process.kill(run, 'SIGKILL')
      process.kill(process.pid, 'SIGKILL')
    }
  }

  private read(): FaultState {
    let text: string
    try {
      text = readFileSync(this.file, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { invocations: {}, crashed: [] }
      throw e
    }
    try {
      return JSON.parse(text) as FaultState
    } catch {
      throw new LabError(`${this.file} is not valid JSON; delete it to reset the fault counters`)
    }
  }

  private async write(state: FaultState): Promise<void> {
    await writeFileAtomic(this.file, `${JSON.stringify(state, null, 2)}\n`)
  }
}
