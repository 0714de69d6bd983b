/**
 * The lab migration through the real PowerShell host: every step's script is rendered and run by
 * PowerShellHost in pwsh (preamble, result line, -WhatIf capture, timeout, heartbeat), while the
 * stores, backups and verification are the lab's SQLite ones. The scripts import a Lync stub
 * module instead of Microsoft's (test/pwsh/stubs: generated from the cmdlet pages, delegating to
 * the lab emulator through `cutover lab cmdlet`), so pwsh's binder checks every call.
 *
 * Chosen with CUTOVER_LAB_PWSH_MODULE=<the generated stub module> on a plan with shell pwsh or
 * powershell whose workDir holds a lab (test/pwsh/lab-pwsh.yaml); CUTOVER_LAB_PWSH_SHELL may name the
 * pwsh executable. Never on a real deployment: without the variable nothing here is loaded.
 * It lives in cli/, the one layer that may join runtimes/lab and runtimes/powershell.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Runtime } from '../core/runtime.js'
import { packageRoot } from '../paths.js'
import type { Plan } from '../plan/types.js'
import type { Secrets } from '../plan/secrets.js'
import type { Step } from '../core/step.js'
import { powershellRuntime } from '../runtimes/powershell/runtime.js'
import { RUN_PID_ENV } from '../lab/faults.js'
import { labDirOf, labExists, labRuntime } from '../runtimes/lab/runtime.js'

export const LAB_PWSH_MODULE_ENV = 'CUTOVER_LAB_PWSH_MODULE'
export const LAB_PWSH_SHELL_ENV = 'CUTOVER_LAB_PWSH_SHELL'

export interface PowerShellOnLabOptions {
  readonly plan: Plan
  readonly planDir: string
  readonly steps: readonly Step[]
  readonly artifactsDir: string
  readonly secrets: Secrets
  /** The stub module's path (CUTOVER_LAB_PWSH_MODULE). */
  readonly module: string
  readonly shell?: string
}

/** bin/cutover.js, for the stubs to call `cutover lab cmdlet`. Found from the package root, not
 * from this module: the sources (runner/cli), the compiled modules (dist/runner/cli) and the
 * bundle (dist/bundle) sit at different depths. */
function cutoverBin(): string {
  const bin = join(packageRoot(), 'bin', 'cutover.js')
  if (!existsSync(bin)) throw new Error(`lab-powershell-runtime: ${bin} not found`)
  return bin
}

export function powershellOnLabRuntime(opts: PowerShellOnLabOptions): Runtime {
  const labDir = labDirOf(opts.plan, opts.planDir)
  if (!labExists(labDir)) throw new Error(`${LAB_PWSH_MODULE_ENV} is set, but ${labDir} holds no lab (cutover lab init --dir ${labDir})`)
  const lab = labRuntime(opts.plan, opts.planDir)
  // The scripts import the stub module where the plan names Microsoft's.
  const plan: Plan = { ...opts.plan, environment: { ...opts.plan.environment, lyncModule: resolve(opts.module) } }
  const powershell = powershellRuntime({
    plan, steps: opts.steps, artifactsDir: opts.artifactsDir, secrets: opts.secrets, backups: lab.backups,
    ...(opts.shell === undefined ? {} : { shell: opts.shell }),
    env: { ...process.env, [RUN_PID_ENV]: String(process.pid), CUTOVER_STUB_LAB: labDir, CUTOVER_STUB_BASE: opts.planDir, CUTOVER_STUB_NODE: process.execPath, CUTOVER_STUB_CLI: cutoverBin() },
  })
  return {
    host: powershell.host,
    backups: lab.backups,
    sql: (store) => lab.sql(store),
    async close() {
      await powershell.close()
      await lab.close()
    },
  }
}
