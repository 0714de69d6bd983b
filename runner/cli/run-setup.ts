import { Engine } from '../engine/engine.js'
import type { EngineSetup } from '../engine/engine.js'
import type { EventListener } from '../engine/events.js'
import type { Runtime } from '../core/runtime.js'
import type { Secrets } from '../plan/secrets.js'
import { platformOf, runtimeOf } from '../runtimes/index.js'
import { CRASH_ENV } from '../runtimes/lab/crash-points.js'
import { StateCorruptError } from '../state/errors.js'
import { kindNamed } from '../steps/registry.js'
import type { Clock } from '../core/clock.js'
import { runClock } from './clock.js'
import type { PlanCommit } from './plan-commit.js'
import type { OpenPlan } from './open-plan.js'
import type { Output } from './output.js'
import { writeReports } from './report-file.js'
import { reportId } from '../steps/kinds/report.js'
import { knowledgeFrom } from './preview-knowledge.js'

/** The runtime for the plan's shell (runtimes/index.ts): PowerShell (on the Lync server, or
 * through remoting) with SQL Server for the stores, or the lab emulator. */
export async function runtimeFor(open: OpenPlan, out: Output, secrets: Secrets, opts: { readonly readOnly?: boolean } = {}): Promise<Runtime> {
  const { plan, planDir } = open
  // The lab through the real PowerShell host (lab-powershell-runtime.ts): tests only.
  const labModule = process.env.CUTOVER_LAB_PWSH_MODULE
  if (labModule !== undefined && labModule !== '' && !runtimeOf(plan.environment.shell).emulator) {
    const { powershellOnLabRuntime } = await import('./lab-powershell-runtime.js')
    const shell = process.env.CUTOVER_LAB_PWSH_SHELL
    return powershellOnLabRuntime({ plan, planDir, steps: open.steps, artifactsDir: open.artifactsDir, secrets, module: labModule, ...(shell === undefined || shell === '' ? {} : { shell }) })
  }
  return runtimeOf(plan.environment.shell).open({ plan, planDir, steps: open.steps, artifactsDir: open.artifactsDir, secrets, notice: (line) => out.stderr(line), readOnly: opts.readOnly === true })
}

/** The clock of a command that writes state: after what earlier runs recorded (lab clock). */
export async function clockFor(open: OpenPlan): Promise<Clock> {
  // After both the state's last save and the journal's last entry (a run may journal after its
  // last save, and a lost state must not set the clock back); an unreadable state counts as none
  // here, the command itself reports it.
  const state = await open.store.load().catch((e: unknown) => {
    if (e instanceof StateCorruptError) return undefined
    throw e
  })
  const last = (await open.store.readJournal().catch(() => [])).at(-1)?.at
  const latest = [state?.updatedAt, last].filter((t): t is string => t !== undefined).sort().at(-1)
  return runClock(open.plan, process.env, latest)
}

/** The engine of one command that runs or rolls back steps. */
export async function engineFor(open: OpenPlan, out: Output, runtime: Runtime, listener: EventListener, command: string, secrets: Secrets, planCommit?: PlanCommit, reviewed?: EngineSetup['reviewed']): Promise<Engine> {
  const clock = await clockFor(open)
  const checkpoint = runtimeOf(open.plan.environment.shell).checkpoint?.(process.env[CRASH_ENV])
  return new Engine({
    plan: open.plan,
    planHash: open.planHash,
    ...(planCommit === undefined ? {} : { planCommit: planCommit.commit, planCommitSource: planCommit.source }),
    steps: open.steps,
    kinds: kindNamed,
    store: open.store,
    runtime,
    platform: platformOf(open.plan),
    clock,
    secrets,
    artifactsDir: open.artifactsDir,
    // A stale-lock takeover is said on the terminal whatever the renderer, not only journaled.
    listener: (e) => {
      if (e.type === 'lock-taken-over') out.stderr(`cutover: ${e.message}`)
      listener(e)
    },
    command,
    // Only the report step writes through here (runner/steps/kinds/report.ts).
    writeReport: () => writeReports(open, clock, { writer: reportId() }),
    planFile: open.file,
    known: (records) => knowledgeFrom(records, open.artifactsDir),
    ...(checkpoint === undefined ? {} : { checkpoint }),
    ...(reviewed === undefined ? {} : { reviewed }),
  })
}
