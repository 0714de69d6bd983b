import { join } from 'node:path'
import { PowerShellHost } from './host.js'
import { parseDuration } from '../../core/time.js'
import type { Plan } from '../../plan/types.js'
import { renderRemoteLauncher } from './remote.js'
import { renderScript } from './script.js'
import type { SqlClient } from '../../core/sql-client.js'
import { placeOf } from '../../sql/store-place.js'
import type { Backups } from '../../core/backups.js'
import type { Step, StoreRole } from '../../core/step.js'
import type { Runtime } from '../../core/runtime.js'
import type { Secrets } from '../../plan/secrets.js'

export interface PowerShellRuntimeOptions {
  readonly plan: Plan
  readonly steps: readonly Step[]
  /** The run's artifacts folder: scripts go to its `scripts/` so the admin can read what ran. */
  readonly artifactsDir: string
  readonly secrets: Secrets
  /** The executable to start instead of the one `environment.shell` names (tests: a stand-in). */
  readonly shell?: string
  readonly env?: NodeJS.ProcessEnv
  /** Per script; environment.scriptTimeout otherwise. */
  readonly timeoutMs?: number
  /** SQL Server backups of the stores (runner/sql/mssql-backups.ts on a real deployment). */
  readonly backups: Backups
}

/** environment.scriptTimeout in milliseconds (the schema checked its form). */
export function scriptTimeoutMs(plan: Plan): number {
  const ms = parseDuration(plan.environment.scriptTimeout)
  if (ms === undefined || ms <= 0) throw new Error(`environment.scriptTimeout ${plan.environment.scriptTimeout}: not a duration such as 2h or 90m`)
  return ms
}

/**
 * The runtime of `environment.shell: powershell | pwsh`: each step's commands rendered from the
 * templates and run by the PowerShell host (through PowerShell remoting when the plan names
 * `environment.remote`), the stores read with mssql, one pool per store for the whole run, with
 * `${env:NAME}` resolved only here, when a store is first needed.
 */
export function powershellRuntime(opts: PowerShellRuntimeOptions): Runtime {
  const { plan, secrets } = opts
  const byId = new Map<string, Step>(opts.steps.map((s) => [s.id, s]))
  const stepOf = (id: string): Step => {
    const step = byId.get(id)
    if (step === undefined) throw new Error(`no step ${id} in the plan`)
    return step
  }
  const remote = plan.environment.remote
  const host = new PowerShellHost({
    shell: opts.shell ?? plan.environment.shell,
    scriptsDir: join(opts.artifactsDir, 'scripts'),
    render: (commands, stepId) => renderScript(stepOf(stepId), plan, commands),
    ...(remote === undefined ? {} : { launcher: (scriptPath: string, stepId: string) => renderRemoteLauncher(plan, stepOf(stepId), scriptPath) }),
    timeoutMs: opts.timeoutMs ?? scriptTimeoutMs(plan),
    ...(opts.env === undefined ? {} : { env: opts.env }),
    redact: (text) => secrets.redact(text),
  })
  // One pool per store; a failed connection is not kept, so the next step tries again.
  const pools = new Map<string, Promise<SqlClient>>()
  const sql = (store: StoreRole): Promise<SqlClient> => {
    const key = store.kind === 'target' ? 'target' : `source:${store.id}`
    let pool = pools.get(key)
    if (pool === undefined) {
      pool = (async () => {
        const { connection, field, label } = placeOf(plan, store)
        if (connection === undefined) throw new Error(`${field}.connection is not set: cutover must read ${label} (inventory, verification); add connection: \${env:NAME}`)
        // Loaded here, on first use: the SQL Server driver is large, and a preview never needs it.
        const { openMssqlClient } = await import('../../sql/mssql.js')
        return openMssqlClient(secrets.resolve(connection), { label, redact: (text) => secrets.redact(text) })
      })()
      pool.catch(() => pools.delete(key))
      pools.set(key, pool)
    }
    return pool
  }
  return {
    host,
    backups: opts.backups,
    sql,
    async close() {
      await host.close()
      const open = [...pools.values()]
      pools.clear()
      await Promise.all(open.map((p) => p.then((c) => c.close(), () => undefined)))
    },
  }
}
