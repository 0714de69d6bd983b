import type { Host } from './host.js'
import type { SqlClient } from './sql-client.js'
import type { Backups } from './backups.js'
import type { StoreRole } from './step.js'

/** What a run talks to: where commands run, how stores are read, how they are backed up. Built
 * per plan from `environment.shell` (the lab emulator, or PowerShell on a Lync server). */
export interface Runtime {
  readonly host: Host
  readonly backups: Backups
  /** A read-only connection to a store; one per store for the whole run. */
  sql(store: StoreRole): Promise<SqlClient>
  close(): Promise<void>
}
