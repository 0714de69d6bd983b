/**
 * The opt-in SQL Server of the integration suite: CUTOVER_TEST_MSSQL holds a connection string to
 * a server where the login may create and drop databases (a throwaway container will do, e.g.
 * `Server=127.0.0.1,1433;User Id=sa;Password=...;TrustServerCertificate=true`). Without it the
 * suites are skipped, and say why.
 */
import { randomBytes } from 'node:crypto'
import type { SqlClient } from '../../runner/core/sql-client.js'
import { openMssqlClient } from '../../runner/sql/mssql.js'

export const MSSQL_ENV = 'CUTOVER_TEST_MSSQL'
/** Optional: the folder, as the SQL Server service sees it, for backups (default: the
 * instance's default backup folder, SERVERPROPERTY('InstanceDefaultBackupPath')). */
export const BACKUP_DIR_ENV = 'CUTOVER_TEST_MSSQL_BACKUP_DIR'

export const connectionString: string | undefined = process.env[MSSQL_ENV] === '' ? undefined : process.env[MSSQL_ENV]
export const skip = connectionString === undefined
const reason = `skipped: set ${MSSQL_ENV} to a connection string of a scratch SQL Server to run it`
if (skip) console.info(`cutover: SQL Server integration tests ${reason}`)

/** A suite title that says, when skipped, why. */
export function titled(title: string): string {
  return skip ? `${title} (${reason})` : title
}

/** The connection string; only called inside suites that are not skipped. */
export function server(): string {
  if (connectionString === undefined) throw new Error(`${MSSQL_ENV} is not set`)
  return connectionString
}

/** A client on `database` (master by default) of the test server. */
export function connect(database = 'master', label = 'the test SQL Server'): Promise<SqlClient> {
  return openMssqlClient(server(), { label }, { database })
}

/** A database name nobody else uses: cutover_test_<prefix>_<random>. */
export function scratchName(prefix: string): string {
  return `cutover_test_${prefix}_${randomBytes(4).toString('hex')}`
}

export const CREATE_DATABASE = `DECLARE @create nvarchar(max) = N'CREATE DATABASE ' + QUOTENAME(@db);
EXEC sys.sp_executesql @create;`

export const DROP_DATABASE = `IF DB_ID(@db) IS NOT NULL
BEGIN
  DECLARE @single nvarchar(max) = N'ALTER DATABASE ' + QUOTENAME(@db) + N' SET SINGLE_USER WITH ROLLBACK IMMEDIATE';
  EXEC sys.sp_executesql @single;
  DECLARE @drop nvarchar(max) = N'DROP DATABASE ' + QUOTENAME(@db);
  EXEC sys.sp_executesql @drop;
END`

/** Creates the database `name`. */
export async function createDatabase(name: string): Promise<void> {
  const master = await connect()
  try {
    await master.query(CREATE_DATABASE, { db: name })
  } finally {
    await master.close()
  }
}

/** Drops each database (and the backup history of it), whatever state it is in. */
export async function dropDatabases(names: readonly string[]): Promise<void> {
  if (names.length === 0) return
  const master = await connect()
  try {
    for (const db of names) {
      await master.query(DROP_DATABASE, { db })
      await master.query('EXEC msdb.dbo.sp_delete_database_backuphistory @database_name = @db', { db }).catch(() => undefined)
    }
  } finally {
    await master.close()
  }
}
