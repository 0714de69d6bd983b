import { describe, expect, it } from 'vitest'
import { BACKUP_SQL, HEADER_SQL, MULTI_USER_SQL, RESTORE_SQL, SINGLE_USER_SQL, VERIFY_SQL, backupFileOf, serverPath } from '../../runner/runtimes/powershell/mssql-backups.js'
import { SqlStoreError } from '../../runner/sql/mssql-errors.js'
import { backupInfoOf } from '../../runner/core/backups.js'
import { loadPlan } from '../render/rendered.js'

describe('SQL Server backup files', () => {
  it('go to <backupDirectory>\\<plan name>-<label>.bak, with the folder\'s own separator', () => {
    const plan = loadPlan('plans/contoso-lync2010.yaml')
    expect(backupFileOf(plan, { kind: 'source', id: 'gc2010' }, 'legacy-gc2010')).toBe(`E:\\SQLBackup\\cutover\\${plan.name}-legacy-gc2010.bak`)
    expect(serverPath('\\\\fs01.fabrikam.com\\SQLBackup\\', 'x.bak')).toBe('\\\\fs01.fabrikam.com\\SQLBackup\\x.bak')
    expect(serverPath('/var/opt/mssql/backup/', 'x.bak')).toBe('/var/opt/mssql/backup/x.bak')
    expect(serverPath('D:', 'x.bak')).toBe('D:\\x.bak')
  })

  it('need a backupDirectory, and say which store lacks one', () => {
    // Validation refuses such a plan outside the lab; the backups check again all the same.
    const base = loadPlan('plans/contoso-lync2010.yaml')
    const plan = { ...base, sources: base.sources.map((s) => ({ ...s, database: { instance: s.database.instance, name: s.database.name } })) }
    const error = (() => {
      try {
        return backupFileOf(plan, { kind: 'source', id: 'gc2010' }, 'legacy-gc2010')
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(SqlStoreError)
    expect((error as Error).message).toMatch(/^the legacy store of gc2010 \(sql01\.contoso\.com\\GC, GroupChat\): sources\[0\]\.database\.backupDirectory is not set/)
  })

  it('are written and read by statements whose names and paths are parameters, never text', () => {
    for (const sql of [BACKUP_SQL, VERIFY_SQL, HEADER_SQL, RESTORE_SQL]) {
      expect(sql).toMatch(/DISK = @file/)
    }
    expect(BACKUP_SQL).toMatch(/^BACKUP DATABASE @db TO DISK = @file\s+WITH COPY_ONLY, CHECKSUM, FORMAT, INIT, NAME = @name$/)
    expect(RESTORE_SQL).toBe('RESTORE DATABASE @db FROM DISK = @file WITH FILE = 1, REPLACE, CHECKSUM')
    // ALTER DATABASE takes no variable: the name is quoted on the server.
    for (const sql of [SINGLE_USER_SQL, MULTI_USER_SQL]) expect(sql).toMatch(/N'ALTER DATABASE ' \+ QUOTENAME\(@db\) \+/)
  })
})

describe('BackupInfo in a backup step\'s outputs', () => {
  it('reads what the step records now, and the sha256 of states written before checksumKind', () => {
    expect(backupInfoOf({ file: 'f', bytes: 3, checksum: 'ABC', checksumKind: 'backupset-guid' })).toEqual({ file: 'f', bytes: 3, checksum: 'ABC', checksumKind: 'backupset-guid' })
    expect(backupInfoOf({ file: 'f', bytes: 3, sha256: 'abc' })).toEqual({ file: 'f', bytes: 3, checksum: 'abc', checksumKind: 'sha256' })
    expect(backupInfoOf({ file: 'f', bytes: 3, checksum: 'abc', checksumKind: 'md5' })).toBeUndefined()
    expect(backupInfoOf(undefined)).toBeUndefined()
  })
})
