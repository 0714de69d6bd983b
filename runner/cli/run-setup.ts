import { crashPoint, CRASH_ENV } from '../engine/crash-points.js'
import { Engine } from '../engine/engine.js'
import type { EventListener } from '../engine/events.js'
import { ensureLab, labDirOf, labRuntime } from '../engine/lab-runtime.js'
import type { Runtime } from '../engine/runtime.js'
import { Secrets } from '../engine/secrets.js'
import { UsageError } from '../errors.js'
import { KINDS } from '../steps/registry.js'
import type { Clock } from '../state/clock.js'
import { runClock } from './clock.js'
import type { OpenPlan } from './open-plan.js'
import type { Output } from './output.js'

/** The runtime for the plan's shell. Only the lab emulator runs here so far: the PowerShell host
 * for real Lync servers is the next piece of work, and refusing is better than pretending. */
export async function runtimeFor(open: OpenPlan, out: Output): Promise<Runtime> {
  const { plan, planDir } = open
  if (plan.environment.shell !== 'lab') {
    throw new UsageError(`environment.shell ${plan.environment.shell}: running on a Lync server (the PowerShell host) is not available in this version yet; cutover validate checks the plan, and shell: lab runs the whole procedure on the lab emulator`)
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

export async function engineFor(open: OpenPlan, runtime: Runtime, listener: EventListener, command: string): Promise<Engine> {
  const clock = await clockFor(open)
  return new Engine({
    plan: open.plan,
    planHash: open.planHash,
    steps: open.steps,
    kinds: KINDS,
    store: open.store,
    runtime,
    clock,
    secrets: new Secrets(process.env),
    artifactsDir: open.artifactsDir,
    listener,
    command,
    ...(open.plan.environment.shell === 'lab' ? { checkpoint: crashPoint(process.env[CRASH_ENV]) } : {}),
  })
}
