/**
 * SqlClient on better-sqlite3, for the lab emulator's stores. `@name` parameters are
 * better-sqlite3's own syntax, so queries run unchanged. Read-only by default: query_only on a
 * read-write connection, which (unlike a read-only one) can roll back the journal a crashed
 * import left behind before reading.
 *
 * tblChat.chatDate holds .NET ticks (~6.4e17), beyond Number.MAX_SAFE_INTEGER: rows carry them as
 * numbers, exact only when the value is a multiple of 128 (the lab's whole-second times are).
 * Compare ticks in SQL, or CAST(chatDate AS TEXT) to read them exactly.
 */
import Database from 'better-sqlite3'
import type { SqlClient, SqlParam } from '../core/sql-client.js'

export interface SqliteClientOptions {
  readonly readonly: boolean
  /** The lab emulator's stand-ins for the SQL Server catalog the readiness check reads
   * (queries.ts PERMISSIONS): HAS_PERMS_BY_NAME, DB_ID and sys.master_files (one data file of
   * the store's size). Absent: those names do not exist, as in plain SQLite. */
  readonly sqlServer?: SqlServerFacts
}

export interface SqlServerFacts {
  /** 1 when the login holds `permission` on the securable, else 0 (HAS_PERMS_BY_NAME). */
  hasPermission(securable: string | null, securableClass: string | null, permission: string): number
  /** Size of the store's data files, in 8 KB pages (sys.master_files.size). */
  readonly dataPages: number
}

/** Opens `file` (which must exist) as a SqlClient. */
export function openSqliteClient(file: string, options: SqliteClientOptions = { readonly: true }): SqlClient {
  const db = new Database(file, { fileMustExist: true })
  db.pragma('busy_timeout = 10000')
  const facts = options.sqlServer
  if (facts !== undefined) {
    db.function('HAS_PERMS_BY_NAME', { deterministic: false }, (securable: unknown, securableClass: unknown, permission: unknown) =>
      facts.hasPermission(typeof securable === 'string' ? securable : null, typeof securableClass === 'string' ? securableClass : null, String(permission)))
    db.function('DB_ID', (name: unknown) => (typeof name === 'string' ? 5 : null))
    db.exec(`ATTACH DATABASE ':memory:' AS sys; CREATE TABLE sys.master_files (database_id INTEGER, file_id INTEGER, type INTEGER, size INTEGER); INSERT INTO sys.master_files VALUES (5, 1, 0, ${Math.max(0, Math.trunc(facts.dataPages))})`)
  }
  if (options.readonly) db.pragma('query_only = ON')
  return {
    async query<Row extends object>(sql: string, params: Readonly<Record<string, SqlParam>> = {}): Promise<Row[]> {
      return db.prepare(sql).all(params) as Row[]
    },
    async close(): Promise<void> {
      if (db.open) db.close()
    },
  }
}
