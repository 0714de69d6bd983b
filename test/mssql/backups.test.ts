/**
 * BACKUP, RESTORE VERIFYONLY and RESTORE on a real SQL Server, through the Backups cutover runs
 * with: a restore brings back exactly what was backed up, and refuses a file that is no longer
 * the backup taken.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Secrets } from '../../runner/plan/secrets.js'
import type { Plan } from '../../runner/plan/types.js'
import { backupFileOf, mssqlBackups } from '../../runner/runtimes/powershell/mssql-backups.js'
import { SqlStoreError } from '../../runner/sql/mssql-errors.js'
import type { BackupInfo } from '../../runner/core/backups.js'
import { loadPlan } from '../render/rendered.js'
import { BACKUP_DIR_ENV, MSSQL_ENV, connect, createDatabase, dropDatabases, scratchName, skip, titled } from './server.js'

const TARGET = { kind: 'target' } as const

async function rows(db: string): Promise<number> {
  const client = await connect(db)
  try {
    const [row] = await client.query<{ n: number }>('SELECT COUNT(*) AS n FROM dbo.rooms')
    return Number(row?.n)
  } finally {
    await client.close()
  }
}

async function exec(db: string, sql: string): Promise<void> {
  const client = await connect(db)
  try {
    await client.query(sql)
  } finally {
    await client.close()
  }
}

describe.skipIf(skip)(titled('SQL Server backups'), () => {
  const db = scratchName('backup')
  let plan: Plan

  beforeAll(async () => {
    let directory = process.env[BACKUP_DIR_ENV]
    if (directory === undefined || directory === '') {
      const master = await connect()
      const [row] = await master.query<{ dir: string | null }>("SELECT CAST(SERVERPROPERTY('InstanceDefaultBackupPath') AS nvarchar(4000)) AS dir")
      await master.close()
      directory = row?.dir ?? undefined
    }
    if (directory === undefined) throw new Error(`the server has no default backup folder; set ${BACKUP_DIR_ENV}`)
    const base = loadPlan('plans/contoso-lync2010.yaml')
    plan = { ...base, name: 'mssql-test', target: { ...base.target, database: { instance: 'the test server', name: db, backupDirectory: directory }, connection: `\${env:${MSSQL_ENV}}` } }
    await createDatabase(db)
    await exec(db, "CREATE TABLE dbo.rooms (id int NOT NULL PRIMARY KEY, name nvarchar(256) NOT NULL); INSERT INTO dbo.rooms (id, name) VALUES (1, N'Zürich'), (2, N'O''Brien')")
  }, 120_000)

  afterAll(async () => {
    await dropDatabases([db])
  }, 120_000)

  it('backs up to <backupDirectory>/<plan>-<label>.bak, verified, identified by its backup set', async () => {
    const backups = mssqlBackups(plan, new Secrets(process.env))
    const info = await backups.backup(TARGET, 'target-before-gc2010')
    expect(info.file).toBe(backupFileOf(plan, TARGET, 'target-before-gc2010'))
    expect(info.file).toMatch(/mssql-test-target-before-gc2010\.bak$/)
    expect(info.checksumKind).toBe('backupset-guid')
    expect(info.checksum).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/)
    expect(info.bytes).toBeGreaterThan(0)
  })

  it('restores what was backed up, with the database usable by everyone afterwards', async () => {
    const backups = mssqlBackups(plan, new Secrets(process.env))
    const info = await backups.backup(TARGET, 'restore-me')
    await exec(db, "INSERT INTO dbo.rooms (id, name) VALUES (3, N'created after the backup')")
    expect(await rows(db)).toBe(3)
    // A session left open in the database must not stop the restore (ROLLBACK IMMEDIATE).
    const bystander = await connect(db)
    try {
      await backups.restore(TARGET, info)
    } finally {
      await bystander.close()
    }
    expect(await rows(db)).toBe(2)
    const master = await connect()
    const [access] = await master.query<{ access: string }>("SELECT CAST(DATABASEPROPERTYEX(@db, 'UserAccess') AS nvarchar(60)) AS access", { db })
    await master.close()
    expect(access?.access).toBe('MULTI_USER')
  })

  it('refuses to restore a file that is no longer the backup taken', async () => {
    const backups = mssqlBackups(plan, new Secrets(process.env))
    const first = await backups.backup(TARGET, 'overwritten')
    const second = await backups.backup(TARGET, 'overwritten')
    expect(second.checksum).not.toBe(first.checksum)
    await exec(db, "INSERT INTO dbo.rooms (id, name) VALUES (4, N'kept')")
    const error = await backups.restore(TARGET, first).then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(SqlStoreError)
    expect((error as Error).message).toMatch(/is no longer the backup cutover took .*it was not restored/)
    expect(await rows(db)).toBe(3)
    const lab: BackupInfo = { ...second, checksum: 'abc', checksumKind: 'sha256' }
    await expect(backups.restore(TARGET, lab)).rejects.toThrow(/was not taken by SQL Server BACKUP/)
  })

  it('names the store and the folder problem when SQL Server cannot write the backup', async () => {
    const nowhere: Plan = { ...plan, target: { ...plan.target, database: { ...plan.target.database, backupDirectory: plan.target.database.backupDirectory?.includes('/') ? '/no/such/folder' : 'Q:\\no\\such\\folder' } } }
    const error = await mssqlBackups(nowhere, new Secrets(process.env)).backup(TARGET, 'nowhere').then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(SqlStoreError)
    expect((error as SqlStoreError).problem).toBe('backup-file')
    expect((error as Error).message).toMatch(/^the Persistent Chat store \(the test server, cutover_test_backup_[0-9a-f]+\): SQL Server could not use the backup file/)
  })
})
