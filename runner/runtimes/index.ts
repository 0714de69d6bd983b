import type { Clock } from '../core/clock.js'
import { NothingToReadError } from '../core/errors.js'
import type { Platform } from '../core/platform.js'
import type { Runtime } from '../core/runtime.js'
import type { Step } from '../core/step.js'
import type { Secrets } from '../plan/secrets.js'
import type { Plan, Shell } from '../plan/types.js'
import { crashPoint } from './lab/crash-points.js'
import { labClock } from './lab/clock.js'
import { labPlatform } from './lab/platform.js'
import { powershellPlatform } from './powershell/platform.js'

/** What opening a runtime needs. */
export interface RuntimeOpening {
  readonly plan: Plan
  readonly planDir: string
  readonly steps: readonly Step[]
  readonly artifactsDir: string
  readonly secrets: Secrets
  /** Told when the runtime creates something first (the lab, on first use). */
  readonly notice: (line: string) => void
  /** The command only reads (`plan --inventory`): the runtime creates nothing, and refuses with
   * NothingToReadError when what it would read does not exist. */
  readonly readOnly?: boolean
}

/** Everything that differs by `environment.shell`, in one place, so nothing else compares shell
 * names. */
export interface RuntimeDescriptor {
  /** The lab emulator rather than a Lync deployment: labelled so wherever it appears. */
  readonly emulator: boolean
  /** Whether cutover reads the stores without a `connection` (the lab's SQLite files). */
  readonly storesNeedConnection: boolean
  /** Paths and backup previews of the machine the scripts run on. */
  platform(plan: Plan): Platform
  /** The clock a run uses when CUTOVER_CLOCK is unset; undefined: the real time. */
  readonly clock?: (plan: Plan, notBefore: string | undefined) => Clock
  /** The crash points the crash tests use (`CUTOVER_CRASH_AT`); never on a real deployment. */
  readonly checkpoint?: (value: string | undefined) => ((stepId: string, status: 'running' | 'done') => void) | undefined
  /** Opens what a run talks to. */
  open(opening: RuntimeOpening): Promise<Runtime>
}

const POWERSHELL: RuntimeDescriptor = {
  emulator: false,
  storesNeedConnection: true,
  platform: powershellPlatform,
  async open({ plan, steps, artifactsDir, secrets }) {
    // Loaded on demand: the lab and the preview never need PowerShell or the SQL Server driver.
    const [{ powershellRuntime }, { mssqlBackups }] = await Promise.all([import('./powershell/runtime.js'), import('./powershell/mssql-backups.js')])
    return powershellRuntime({ plan, steps, artifactsDir, secrets, backups: mssqlBackups(plan, secrets) })
  },
}

const LAB: RuntimeDescriptor = {
  emulator: true,
  storesNeedConnection: false,
  platform: labPlatform,
  clock: labClock,
  checkpoint: crashPoint,
  async open({ plan, planDir, notice, readOnly }) {
    const { ensureLab, labDirOf, labExists, labRuntime } = await import('./lab/runtime.js')
    const labDir = labDirOf(plan, planDir)
    if (readOnly === true) {
      if (!labExists(labDir)) throw new NothingToReadError(`the lab emulator in ${labDir} does not exist yet, and this command only reads: create it with cutover lab init --dir ${labDir} (or let cutover apply create it on first use)`)
    } else {
      await ensureLab(labDir, () => notice(`cutover: creating the lab emulator in ${labDir} (first use)`))
    }
    return labRuntime(plan, planDir)
  },
}

/** The shell whose runtime is the lab emulator: what `init --source lab` writes. */
export const LAB_SHELL = 'lab' satisfies Shell

/** The runtime of each shell a plan can name; keyed over every shell, so a new one must be added. */
export const RUNTIMES: { readonly [S in Shell]: RuntimeDescriptor } = { powershell: POWERSHELL, pwsh: POWERSHELL, lab: LAB }

/** The runtime of a plan's `environment.shell`. */
export function runtimeOf(shell: Shell): RuntimeDescriptor {
  return RUNTIMES[shell]
}

/** The platform a plan's steps are compiled for. */
export function platformOf(plan: Plan): Platform {
  return runtimeOf(plan.environment.shell).platform(plan)
}
