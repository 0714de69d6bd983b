import { readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { compile } from '../compile/compile.js'
import { sha256Hex } from '../core/hash.js'
import { Secrets } from '../plan/secrets.js'
import { PlanInvalidError, UsageError } from '../core/errors.js'
import { countBySeverity, formatFinding } from '../plan/findings.js'
import type { Finding } from '../plan/findings.js'
import { validatePlanText } from '../plan/load.js'
import type { Plan } from '../plan/types.js'
import { FileStateStore } from '../state/file-store.js'
import type { MssqlStateStore } from '../state/mssql-store.js'
import type { StateStore } from '../state/types.js'
import type { Step } from '../core/step.js'
import { platformOf } from '../runtimes/index.js'
import type { Output } from './output.js'
import { planStepIds } from './plan-step-ids.js'

export { planStepIds }

export interface OpenPlan {
  readonly file: string
  readonly plan: Plan
  readonly planDir: string
  readonly planHash: string
  readonly steps: readonly Step[]
  readonly store: StateStore
  readonly artifactsDir: string
  /** Validation warnings (a plan with errors never opens). */
  readonly findings: readonly Finding[]
}

/** Reads, validates and compiles a plan, and opens its state store: the files in `.cutover/`, or
 * with `state.backend: mssql` the SQL Server store (which connects on first use). An invalid plan
 * prints its findings and throws PlanInvalidError (exit 1); nothing else is touched. */
export async function openPlan(file: string, out: Output, command: string): Promise<OpenPlan> {
  const open = await openPlanOnly(file, out, command)
  const { state } = open.plan
  if (state.backend === 'file') return open
  // The state-connection rule makes this unreachable for a validated plan; kept for the types.
  if (state.connection === undefined) throw new UsageError(`${command}: state.backend is mssql but state.connection is missing`)
  const store = await openMssqlStateStore(open, state.connection, new Secrets(process.env))
  return { ...open, store }
}

/** The SQL Server state store of a plan with `state.backend: mssql`, through `connection` (the
 * plan's `${env:NAME}`, resolved here). Loaded on demand: plans with the file store never load
 * the SQL Server driver. */
export async function openMssqlStateStore(open: Pick<OpenPlan, 'plan' | 'artifactsDir'>, connection: string, secrets: Secrets): Promise<MssqlStateStore> {
  const { MssqlStateStore } = await import('../state/mssql-store.js')
  return new MssqlStateStore({
    connectionString: secrets.resolve(connection),
    database: open.plan.state.database,
    name: open.plan.name,
    artifactsDir: open.artifactsDir,
    redact: (text) => secrets.redact(text),
  })
}

/** Like openPlan, for commands that can do without the state (the preview, which must work where
 * the state server and its secret are out of reach, in CI for one): the SQL Server store is not
 * opened; `stateReadable` says whether `store` holds the plan's state. */
export async function openPlanOnly(file: string, out: Output, command: string): Promise<OpenPlan & { readonly stateReadable: boolean }> {
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new UsageError(`${command}: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : String(code ?? e)}`)
  }
  const result = validatePlanText(bytes.toString('utf8'), file, planStepIds)
  if (result.plan === undefined) {
    for (const f of result.findings) out.stderr(formatFinding(f))
    const { errors } = countBySeverity(result.findings)
    throw new PlanInvalidError(`${file} is not valid (${errors} error${errors === 1 ? '' : 's'}); fix it and run again (cutover validate ${file})`)
  }
  const plan = result.plan
  const planDir = dirname(resolve(file))
  const store = new FileStateStore(join(planDir, '.cutover'), plan.name)
  return { file, plan, planDir, planHash: sha256Hex(bytes), steps: compile(plan, platformOf(plan)), store, artifactsDir: store.artifactsDir(), findings: result.findings, stateReadable: plan.state.backend === 'file' }
}
