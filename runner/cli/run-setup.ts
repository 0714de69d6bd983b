import { crashPoint, CRASH_ENV } from '../runtimes/lab/crash-points.js'
import { Engine } from '../engine/engine.js'
import type { EventListener } from '../engine/events.js'
import { ensureLab, labDirOf, labRuntime } from '../runtimes/lab/runtime.js'
import type { Runtime } from '../core/runtime.js'
import type { Secrets } from '../plan/secrets.js'
import { KINDS } from '../steps/registry.js'
import type { Clock } from '../core/clock.js'
import { runClock } from './clock.js'
import type { OpenPlan } from './open-plan.js'
import type { Output } from './output.js'

/** The runtime for the plan's shell: PowerShell (on the Lync server, or through remoting) with
 * SQL Server for the stores, or the lab emulator. */
export async function runtimeFor(open: OpenPlan, out: Output, secrets: Secrets): Promise<Runtime> {
  const { plan, planDir } = open
  // The lab through the real PowerShell host (lab-powershell-runtime.ts): tests only.
  const labModule = process.env.CUTOVER_LAB_PWSH_MODULE
  if (labModule !== undefined && labModule !== '' && plan.environment.shell !== 'lab') {
    const { powershellOnLabRuntime } = await import('./lab-powershell-runtime.js')
    const shell = process.env.CUTOVER_LAB_PWSH_SHELL
    return powershellOnLabRuntime({ plan, planDir, steps: open.steps, artifactsDir: open.artifactsDir, secrets, module: labModule, ...(shell === undefined || shell === '' ? {} : { shell }) })
  }
  if (plan.environment.shell !== 'lab') {
    // Loaded on demand: the lab never needs PowerShell or the SQL Server driver.
    const [{ powershellRuntime }, { mssqlBackups }] = await Promise.all([import('../runtimes/powershell/runtime.js'), import('../runtimes/powershell/mssql-backups.js')])
    return powershellRuntime({
      plan, steps: open.steps, artifactsDir: open.artifactsDir, secrets,
      backups: mssqlBackups(plan, secrets),
    })
  }
  const labDir = labDirOf(plan, planDir)
  await ensureLab(labDir, () => out.stderr(`cutover: creating the lab emulator in ${labDir} (first use)`))
  return labRuntime(plan, planDir)
}

/** The clock of a command that writes state: after what earlier runs recorded (lab clock). */
export async function clockFor(open: OpenPlan): Promise<Clock> {
  const state = await open.store.load()
  return runClock(open.plan, process.env, state?.updatedAt)
}

export async function engineFor(open: OpenPlan, runtime: Runtime, listener: EventListener, command: string, secrets: Secrets, planCommit?: string): Promise<Engine> {
  const clock = await clockFor(open)
  return new Engine({
    plan: open.plan,
    planHash: open.planHash,
    ...(planCommit === undefined ? {} : { planCommit }),
    steps: open.steps,
    kinds: KINDS,
    store: open.store,
    runtime,
    clock,
    secrets,
    artifactsDir: open.artifactsDir,
    listener,
    command,
    ...(open.plan.environment.shell === 'lab' ? { checkpoint: crashPoint(process.env[CRASH_ENV]) } : {}),
  })
}
