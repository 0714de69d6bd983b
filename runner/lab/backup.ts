/** Backups of the lab emulator's stores, standing in for SQL Server BACKUP/RESTORE DATABASE. */
import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { closeSync, copyFileSync, createReadStream, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { fsyncDir } from '../state/durable-fs.js'
import { LabError } from './errors.js'
import { openStore } from './store.js'

export interface BackupFile {
  readonly bytes: number
  readonly sha256: string
}

/** Size and sha256 of a file, read as a stream. */
export async function describeFile(file: string): Promise<BackupFile> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return { bytes: statSync(file).size, sha256: hash.digest('hex') }
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Copies a store with SQLite's online backup (consistent even while others read it) to `destFile`,
 * which appears only when complete. */
export async function backupStore(sqliteFile: string, destFile: string): Promise<BackupFile> {
  const temp = `${destFile}.partial`
  const db = openStore(sqliteFile)
  try {
    await db.backup(temp)
  } catch (e) {
    rmSync(temp, { force: true })
    throw new LabError(`backup of ${sqliteFile} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
  } finally {
    db.close()
  }
  fsyncFile(temp)
  renameSync(temp, destFile)
  await fsyncDir(dirname(destFile))
  return describeFile(destFile)
}

/** Puts a backup back in place of a store. Only safe while no connection to the store is open
 * (the lab emulator holds none between commands). A journal a crash left beside the store is
 * removed too: SQLite would otherwise replay it into the restored file. */
export async function restoreStore(backupFile: string, sqliteFile: string): Promise<BackupFile> {
  try {
    const check = new Database(backupFile, { readonly: true, fileMustExist: true })
    check.prepare('SELECT COUNT(*) FROM tblNode').get()
    check.close()
  } catch (e) {
    throw new LabError(`${backupFile} is not a backup of a lab store: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
  }
  const temp = `${sqliteFile}.restoring`
  copyFileSync(backupFile, temp)
  fsyncFile(temp)
  for (const leftover of ['-journal', '-wal', '-shm']) rmSync(`${sqliteFile}${leftover}`, { force: true })
  renameSync(temp, sqliteFile)
  await fsyncDir(dirname(sqliteFile))
  return describeFile(sqliteFile)
}
