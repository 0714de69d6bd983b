/**
 * Checks the names a parsed statement uses (its ScriptDom scopes) against what exists: the
 * Persistent Chat tables and columns of Microsoft's schema reference (persistent-chat-schema.json)
 * and the tables and table variables cutover's own statements create (the state store's).
 * Names compare exactly, as a case-sensitive collation would.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from '../helpers/cli.js'
import type { Definition, Parsed, Scope, TableName } from './scriptdom.js'

interface SchemaFile { readonly tables: Readonly<Record<string, { readonly page: string; readonly commit: string; readonly columns: readonly string[] }>> }

export const PERSISTENT_CHAT: SchemaFile = JSON.parse(readFileSync(join(ROOT, 'test', 'tsql', 'persistent-chat-schema.json'), 'utf8')) as SchemaFile

export interface SchemaReport {
  readonly problems: string[]
  /** Column references checked against a known table. */
  columnsChecked: number
  /** Persistent Chat table.column names the statements use, each once. */
  readonly persistentChatColumns: Set<string>
}

/** The problems of every statement, given the tables all of them create (CREATE TABLE is in one
 * statement, its uses in others). */
export function checkNames(parsed: readonly Parsed[]): SchemaReport {
  const created = new Map(parsed.flatMap((p) => p.definitions.filter((d) => d.kind === 'table').map((d) => [d.name, d.columns] as const)))
  const report: SchemaReport = { problems: [], columnsChecked: 0, persistentChatColumns: new Set() }
  for (const p of parsed) for (const scope of p.scopes) checkScope(p.id, scope, p.definitions, created, report)
  return report
}

/** The SQL Server catalog views cutover reads (the readiness check's PERMISSIONS), with the
 * columns it uses, from Microsoft's page: sys.master_files,
 * https://learn.microsoft.com/sql/relational-databases/system-catalog-views/sys-master-files-transact-sql */
const CATALOG: Readonly<Record<string, readonly string[]>> = {
  'sys.master_files': ['database_id', 'file_id', 'file_guid', 'type', 'type_desc', 'data_space_id', 'name', 'physical_name', 'state', 'state_desc', 'size', 'max_size', 'growth'],
}

function checkScope(id: string, scope: Scope, definitions: readonly Definition[], created: ReadonlyMap<string, readonly string[]>, report: SchemaReport): void {
  const variables = new Map(definitions.filter((d) => d.kind === 'variable').map((d) => [d.name, d.columns] as const))
  const columnsOf = (t: TableName): readonly string[] | undefined => {
    if (t.variable) return variables.get(t.name)
    if (t.schema === 'sys') return CATALOG[`sys.${t.name}`]
    if (t.schema !== null && t.schema !== 'dbo') return undefined
    return PERSISTENT_CHAT.tables[t.name]?.columns ?? created.get(t.name)
  }
  const known = scope.tables.flatMap((t) => {
    const columns = columnsOf(t)
    if (columns === undefined) {
      report.problems.push(`${id}: ${scope.statement} names table ${t.schema === null ? '' : `${t.schema}.`}${t.name}, which neither the schema reference nor cutover's own DDL has`)
      return []
    }
    return [{ table: t, columns }]
  })
  for (const parts of scope.columns) {
    const column = parts[parts.length - 1] ?? ''
    const qualifier = parts.length > 1 ? parts[parts.length - 2] : undefined
    const candidates = qualifier === undefined ? known : known.filter((k) => (k.table.alias ?? k.table.name) === qualifier)
    const label = parts.join('.')
    if (candidates.length === 0) {
      report.problems.push(`${id}: ${scope.statement} uses ${label}, but ${qualifier === undefined ? 'names no table' : `no table is named or aliased ${qualifier}`}`)
      continue
    }
    report.columnsChecked++
    const owner = candidates.find((k) => k.columns.includes(column))
    if (owner === undefined) {
      report.problems.push(`${id}: ${scope.statement} uses ${label}, a column ${candidates.map((k) => k.table.name).join(' or ')} does not have`)
    } else if (!owner.table.variable && PERSISTENT_CHAT.tables[owner.table.name] !== undefined) {
      report.persistentChatColumns.add(`${owner.table.name}.${column}`)
    }
  }
}
