import { describe, expect, it } from 'vitest'
import type { SqlClient } from '../../runner/core/sql-client.js'
import { SqlStoreError } from '../../runner/sql/mssql-errors.js'
import { createDatabaseIfMissing } from '../../runner/state/mssql-database.js'
import { CREATE_DATABASE_SQL } from '../../runner/state/mssql-state-sql.js'

function failing(error: unknown, seen: unknown[][]): SqlClient {
  return {
    query: (sql: string, params?: unknown) => {
      seen.push([sql, params])
      return error === undefined ? Promise.resolve([]) : Promise.reject(error)
    },
    close: () => Promise.resolve(),
  } as unknown as SqlClient
}

describe('createDatabaseIfMissing (the state store on SQL Server 2008 R2: no THROW)', () => {
  it('sends the statement with the name as a parameter, and holds no THROW', async () => {
    const seen: unknown[][] = []
    await createDatabaseIfMissing(failing(undefined, seen), 'cutover')
    expect(seen).toEqual([[CREATE_DATABASE_SQL, { db: 'cutover' }]])
    expect(CREATE_DATABASE_SQL).not.toMatch(/\bTHROW\b/i)
  })

  it('takes error 1801 (created meanwhile by another run) as success', async () => {
    await expect(createDatabaseIfMissing(failing(new SqlStoreError("state: Database 'cutover' already exists.", 'sql', 1801), []), 'cutover')).resolves.toBeUndefined()
  })

  it('throws every other error as it came, number included', async () => {
    const denied = new SqlStoreError('state: permission denied (CREATE DATABASE permission denied in database master.)', 'permission', 262)
    await expect(createDatabaseIfMissing(failing(denied, []), 'cutover')).rejects.toBe(denied)
  })
})
