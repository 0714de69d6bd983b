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
import type { Plan } from '../../plan/types.js'
import type { BackupInfo, Backups } from '../../core/backups.js'
import { BACKUP_SQL, HEADER_SQL, MULTI_USER_SQL, RESTORE_SQL, SINGLE_USER_SQL, VERIFY_SQL, backupFileOf } from '../../sql/backup-sql.js'
import type { BackupHeader } from '../../sql/backup-sql.js'
import type { SqlClient } from '../../core/sql-client.js'
import { openMssqlClient } from '../../sql/mssql.js'
import { SqlStoreError } from '../../sql/mssql-errors.js'
import { placeOf } from '../../sql/store-place.js'
import type { StorePlace } from '../../sql/store-place.js'

// What the preview and the tests read without loading the SQL Server driver.
export { BACKUP_SQL, HEADER_SQL, MULTI_USER_SQL, RESTORE_SQL, SINGLE_USER_SQL, VERIFY_SQL, backupFileOf, serverPath } from '../../sql/backup-sql.js'
export type { BackupHeader } from '../../sql/backup-sql.js'

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
