/**
 * Every statement cutover can send to a SQL Server, taken from the modules that hold them: every
 * exported string of each module below is a statement, so one added there is parsed without
 * anyone listing it here.
 */
import * as backupSql from '../../runner/sql/backup-sql.js'
import * as queries from '../../runner/sql/queries.js'
import * as stateSql from '../../runner/state/mssql-state-sql.js'

export interface Statement { readonly id: string; readonly sql: string }

const MODULES: readonly (readonly [string, Readonly<Record<string, unknown>>])[] = [
  ['runner/sql/queries.ts', queries],
  ['runner/sql/backup-sql.ts', backupSql],
  ['runner/state/mssql-state-sql.ts', stateSql],
]

/** `<module>#<export>` and its text, for each exported string. */
export function cutoverStatements(): Statement[] {
  return MODULES.flatMap(([file, mod]) => Object.entries(mod).flatMap(([name, value]) => (typeof value === 'string' ? [{ id: `${file}#${name}`, sql: value }] : [])))
}
