/** Creating the SQL Server state store's database, once, whoever comes first. */
import type { SqlClient } from '../core/sql-client.js'
import { SqlStoreError } from '../sql/mssql-errors.js'
import { CREATE_DATABASE_SQL } from './mssql-state-sql.js'

/** SQL Server's "Database '...' already exists": another run created it between DB_ID and CREATE. */
export const DATABASE_EXISTS = 1801

/** Creates database `db` (on a connection to master) unless it exists; a concurrent creation
 * counts as success, every other error (permission, say) is thrown with its own number. */
export async function createDatabaseIfMissing(master: SqlClient, db: string): Promise<void> {
  try {
    await master.query(CREATE_DATABASE_SQL, { db })
  } catch (error) {
    if (error instanceof SqlStoreError && error.number === DATABASE_EXISTS) return
    throw error
  }
}
