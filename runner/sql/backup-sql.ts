/**
 * The SQL Server backup statements and where their files go: plain text and paths, kept apart
 * from the driver (mssql-backups.ts) so that rendering a preview never loads it.
 */
import type { Plan } from '../plan/types.js'
import type { StoreRole } from '../core/step.js'
import { SqlStoreError } from './mssql-errors.js'
import { placeOf } from './store-place.js'

export const BACKUP_SQL = `BACKUP DATABASE @db TO DISK = @file
WITH COPY_ONLY, CHECKSUM, FORMAT, INIT, NAME = @name`

export const VERIFY_SQL = 'RESTORE VERIFYONLY FROM DISK = @file WITH CHECKSUM'

export const HEADER_SQL = 'RESTORE HEADERONLY FROM DISK = @file'

export const SINGLE_USER_SQL = `IF DB_ID(@db) IS NOT NULL
BEGIN
  DECLARE @alter nvarchar(max) = N'ALTER DATABASE ' + QUOTENAME(@db) + N' SET SINGLE_USER WITH ROLLBACK IMMEDIATE';
  EXEC sys.sp_executesql @alter;
END`

export const RESTORE_SQL = 'RESTORE DATABASE @db FROM DISK = @file WITH FILE = 1, REPLACE, CHECKSUM'

export const MULTI_USER_SQL = `IF CAST(DATABASEPROPERTYEX(@db, 'Status') AS nvarchar(128)) = N'ONLINE' AND CAST(DATABASEPROPERTYEX(@db, 'UserAccess') AS nvarchar(128)) = N'SINGLE_USER'
BEGIN
  DECLARE @alter nvarchar(max) = N'ALTER DATABASE ' + QUOTENAME(@db) + N' SET MULTI_USER';
  EXEC sys.sp_executesql @alter;
END`

/** One row of RESTORE HEADERONLY, the columns read here (the full set varies by version). */
export interface BackupHeader {
  readonly BackupSetGUID: string | null
  readonly DatabaseName: string
  readonly Position: number
  readonly BackupSize: number | string
  readonly CompressedBackupSize?: number | string | null
}

// Plan names and step labels are [a-z0-9-] already; checked again because they become a file name.
const FILE_PART = /^[a-z0-9][a-z0-9-]*$/

/** Joins a folder as the SQL Server machine sees it with a file name, with the folder's own
 * separator: `\` on Windows and for UNC paths, `/` for a SQL Server on Linux. */
export function serverPath(directory: string, name: string): string {
  const separator = directory.includes('/') && !directory.includes('\\') ? '/' : '\\'
  return `${directory.replace(/[\\/]+$/, '')}${separator}${name}`
}

/** Where the backup `label` of `store` goes: `<backupDirectory>\<plan name>-<label>.bak`, a path
 * on the SQL Server machine. Throws SqlStoreError when the plan names no backupDirectory. */
export function backupFileOf(plan: Plan, store: StoreRole, label: string): string {
  const place = placeOf(plan, store)
  const directory = place.database.backupDirectory
  if (directory === undefined || directory.trim() === '') {
    throw new SqlStoreError(`${place.label}: ${place.field}.database.backupDirectory is not set; name the folder, as the SQL Server service sees it, where cutover may write backups`, 'config')
  }
  for (const part of [plan.name, label]) if (!FILE_PART.test(part)) throw new Error(`cutover: ${JSON.stringify(part)} cannot be part of a backup file name`)
  return serverPath(directory.trim(), `${plan.name}-${label}.bak`)
}
