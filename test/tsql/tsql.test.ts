/**
 * Every statement cutover can send to SQL Server, parsed by Microsoft's T-SQL parser (ScriptDom)
 * with SQL Server 2008's grammar (Lync 2010 and 2013 back ends run on SQL Server 2008 R2) and the
 * newest, and every table and column it names checked against Microsoft's Persistent Chat schema
 * reference. Needs dotnet (CI has it); without it the suite skips and says why, under CI=true it fails.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { NODES, ROLES_PER_NODE } from '../../runner/sql/queries.js'
import { missingTool } from '../pwsh/locate.js'
import { checkNames } from './schema-check.js'
import { PARSERS, buildParser, findDotnet, parseStatements } from './scriptdom.js'
import type { Parsed } from './scriptdom.js'
import { cutoverStatements } from './statements.js'

const STATEMENTS = cutoverStatements()

// The state store's CREATE DATABASE statement as it was: THROW is SQL Server 2012's.
const WITH_THROW = `BEGIN TRY
  IF DB_ID(@db) IS NULL
  BEGIN
    DECLARE @create nvarchar(max) = N'CREATE DATABASE ' + QUOTENAME(@db);
    EXEC sys.sp_executesql @create;
  END
END TRY
BEGIN CATCH
  IF ERROR_NUMBER() <> 1801 THROW;
END CATCH`

describe('T-SQL through ScriptDom', () => {
  const dotnet = findDotnet()
  if (dotnet === undefined) {
    missingTool('test/tsql/tsql.test.ts', 'dotnet', 'no dotnet on PATH: install the .NET SDK (Microsoft.SqlServer.TransactSql.ScriptDom is restored from NuGet)')
    return
  }
  let parsed: Parsed[] = []
  let parse: (statements: readonly { id: string; sql: string }[]) => Parsed[] = () => []
  beforeAll(() => {
    const dll = buildParser(dotnet)
    parse = (statements) => parseStatements(dotnet, dll, statements)
    parsed = parse(STATEMENTS)
  }, 300_000)

  it('finds the statements in their modules', () => {
    const ids = STATEMENTS.map((s) => s.id)
    for (const expected of ['runner/sql/queries.ts#NODES', 'runner/sql/backup-sql.ts#RESTORE_SQL', 'runner/state/mssql-state-sql.ts#ACQUIRE_SQL', 'runner/state/mssql-state-sql.ts#CREATE_TABLES_SQL']) expect(ids).toContain(expected)
  })

  it.each(PARSERS)('%s parses every statement cutover sends with no error', (parser) => {
    expect(parsed).toHaveLength(STATEMENTS.length)
    const failures = parsed.flatMap((p) => p.errors[parser].map((e) => `${p.id} ${String(e.line)}:${String(e.column)} ${e.message}`))
    expect(failures).toEqual([])
    console.info(`${parser}: ${String(parsed.length)} statements parsed, 0 errors`)
  })

  it('THROW (SQL Server 2012 and later) fails the 2008 parser and passes the newest', () => {
    const [p] = parse([{ id: 'throw', sql: WITH_THROW }])
    expect(p?.errors.TSql100.map((e) => e.message)).toEqual(["Incorrect syntax near 'THROW'."])
    expect(p?.errors.TSql180).toEqual([])
  })

  it('every table and column the statements name exists in the schema reference or in cutover\'s own DDL', () => {
    const report = checkNames(parsed)
    expect(report.problems).toEqual([])
    // The inventory reads all six tables of the reference file; each column use was resolved.
    expect([...new Set([...report.persistentChatColumns].map((c) => c.split('.')[0]))].sort()).toEqual(['tblChat', 'tblNode', 'tblPrincipal', 'tblPrincipalRole', 'tblRoleType', 'tblScopePrincipal'])
    console.info(`schema check: ${String(report.columnsChecked)} column references checked, ${String(report.persistentChatColumns.size)} distinct Persistent Chat columns`)
  })

  it('the name check fails on a misspelt column, an unknown alias and an unknown table', () => {
    const broken = parse([
      { id: 'column', sql: NODES.replace('visibility', 'visibilty') },
      { id: 'alias', sql: ROLES_PER_NODE.replace('t.rtypeDesc AS role', 'x.rtypeDesc AS role') },
      { id: 'table', sql: NODES.replace('FROM tblNode', 'FROM tblNodes') },
      { id: 'wrong-table', sql: ROLES_PER_NODE.replace('p.prinDisabled = 0', 'r.prinDisabled = 0') },
    ])
    const problems = checkNames(broken).problems
    expect(problems).toContain('column: SELECT uses visibilty, a column tblNode does not have')
    expect(problems).toContain('alias: SELECT uses x.rtypeDesc, but no table is named or aliased x')
    expect(problems).toContain("table: SELECT names table tblNodes, which neither the schema reference nor cutover's own DDL has")
    expect(problems).toContain('wrong-table: SELECT uses r.prinDisabled, a column tblPrincipalRole does not have')
    expect(new Set(problems.map((p) => p.split(':')[0]))).toEqual(new Set(['column', 'alias', 'table', 'wrong-table']))
  })
})
