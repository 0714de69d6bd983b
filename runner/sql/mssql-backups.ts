/**
 * Backups on SQL Server: a full copy-only BACKUP DATABASE to `<backupDirectory>\<plan>-<label>.bak`
 * on the SQL Server machine, checked with RESTORE VERIFYONLY, and recognised again by its
 * BackupSetGUID before RESTORE puts it back. cutover cannot read that file (it is on the server),
 * so the backup set's GUID from RESTORE HEADERONLY stands in for a hash.
 *
 * Each operation opens its own connection to `master` with a long timeout: RESTORE needs a
 * session that is not using the database, and a backup takes as long as the store is big.
 * Database names and paths travel as parameters; the one statement that cannot take a variable
 * (ALTER DATABASE) is built on the server with QUOTENAME and run by sp_executesql.
 */
import type { DatabaseRef, Plan } from '../plan/types.js'
import type { BackupInfo, Backups } from '../steps/backups.js'
import type { StoreRole } from '../steps/kind.js'
import type { SqlClient } from './client.js'
import { openMssqlClient } from './mssql.js'
import { SqlStoreError } from './mssql-errors.js'

/** Per BACKUP or RESTORE statement: a store of tens of GB on a busy disk takes hours. */
export const DEFAULT_BACKUP_TIMEOUT_MS = 4 * 60 * 60_000

/** How connection strings are resolved and secrets scrubbed (Secrets). */
export interface SecretResolver {
  resolve(text: string): string
  redact(text: string): string
}

export interface MssqlBackupsOptions {
  /** Per BACKUP/RESTORE statement (DEFAULT_BACKUP_TIMEOUT_MS); 0 waits for ever. */
  readonly timeoutMs?: number
}

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

interface StorePlace {
  readonly database: DatabaseRef
  readonly connection: string | undefined
  readonly field: string
  readonly label: string
}

function placeOf(plan: Plan, store: StoreRole): StorePlace {
  if (store.kind === 'target') {
    const db = plan.target.database
    return { database: db, connection: plan.target.connection, field: 'target', label: `the Persistent Chat store (${db.instance}, ${db.name})` }
  }
  const index = plan.sources.findIndex((s) => s.id === store.id)
  const source = plan.sources[index]
  if (source === undefined) throw new Error(`cutover: no source '${store.id}' in the plan`)
  return { database: source.database, connection: source.connection, field: `sources[${index}]`, label: `the legacy store of ${source.id} (${source.database.instance}, ${source.database.name})` }
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

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}

/** The backup sets in `file`; the SQL Server service must be able to read it. */
export async function readBackupHeaders(client: SqlClient, file: string): Promise<BackupHeader[]> {
  return client.query<BackupHeader>(HEADER_SQL, { file })
}

/** Backups of the plan's stores on their SQL Servers, each store through its own `connection`
 * (resolved with `secrets`), into its database's `backupDirectory`. */
export function mssqlBackups(plan: Plan, secrets: SecretResolver, opts: MssqlBackupsOptions = {}): Backups {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_BACKUP_TIMEOUT_MS
  const withMaster = async <T>(place: StorePlace, work: (client: SqlClient) => Promise<T>): Promise<T> => {
    if (place.connection === undefined) {
      throw new SqlStoreError(`${place.label}: ${place.field}.connection is not set, so cutover cannot back it up or restore it; add connection: \${env:NAME}`, 'config')
    }
    const client = await openMssqlClient(secrets.resolve(place.connection), { label: place.label, requestTimeoutMs: timeoutMs, redact: (t) => secrets.redact(t) }, { database: 'master' })
    try {
      return await work(client)
    } finally {
      await client.close()
    }
  }

  return {
    describe: (store, label) => backupFileOf(plan, store, label),

    async backup(store, label): Promise<BackupInfo> {
      const place = placeOf(plan, store)
      const file = backupFileOf(plan, store, label)
      return withMaster(place, async (client) => {
        await client.query(BACKUP_SQL, { db: place.database.name, file, name: `cutover ${plan.name} ${label}` })
        await client.query(VERIFY_SQL, { file })
        const headers = await readBackupHeaders(client, file)
        const header = headers.length === 1 ? headers[0] : undefined
        if (header === undefined || header.BackupSetGUID === null || !same(header.DatabaseName, place.database.name)) {
          throw new SqlStoreError(`${place.label}: the backup ${file} does not hold exactly one backup of ${place.database.name} right after it was written; another process may be writing the same file`, 'backup-file')
        }
        const bytes = Number(header.CompressedBackupSize ?? header.BackupSize)
        return { file, bytes, checksum: header.BackupSetGUID.toUpperCase(), checksumKind: 'backupset-guid' }
      })
    },

    async restore(store, from): Promise<void> {
      const place = placeOf(plan, store)
      const db = place.database.name
      if (from.checksumKind !== 'backupset-guid') {
        throw new SqlStoreError(`${place.label}: ${from.file} was not taken by SQL Server BACKUP (its checksum is a ${from.checksumKind}); it was not restored`, 'backup-file')
      }
      await withMaster(place, async (client) => {
        // Never restore a file that is not the backup taken: a later backup to the same name, or
        // another database's, would silently replace the store with the wrong content.
        const headers = await readBackupHeaders(client, from.file)
        const header = headers.length === 1 ? headers[0] : undefined
        if (header?.BackupSetGUID === null || header === undefined || !same(header.BackupSetGUID, from.checksum) || !same(header.DatabaseName, db)) {
          const found = headers.map((h) => `${h.DatabaseName} ${h.BackupSetGUID ?? 'without a GUID'}`).join(', ') || 'no backup set'
          throw new SqlStoreError(`${place.label}: ${from.file} is no longer the backup cutover took (expected backup set ${from.checksum} of ${db}, found ${found}); it was not restored`, 'backup-file')
        }
        // Separate requests, so that every message of a failed RESTORE reaches the admin (a
        // server-side CATCH would keep only the last, "RESTORE DATABASE is terminating abnormally").
        await client.query(SINGLE_USER_SQL, { db })
        let failure: unknown
        try {
          await client.query(RESTORE_SQL, { db, file: from.file })
        } catch (error) {
          failure = error
        }
        try {
          await client.query(MULTI_USER_SQL, { db })
        } catch (error) {
          failure ??= error
        }
        if (failure !== undefined) throw failure
      })
    },
  }
}
