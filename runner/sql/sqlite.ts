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
}

/** Opens `file` (which must exist) as a SqlClient. */
export function openSqliteClient(file: string, options: SqliteClientOptions = { readonly: true }): SqlClient {
  const db = new Database(file, { fileMustExist: true })
  db.pragma('busy_timeout = 10000')
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
