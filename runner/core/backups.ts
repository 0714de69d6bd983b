import type { StoreRole } from './step.js'

/** How a backup is recognised again before it is restored. */
export const CHECKSUM_KINDS = ['sha256', 'backupset-guid'] as const
export type ChecksumKind = (typeof CHECKSUM_KINDS)[number]

export interface BackupInfo {
  readonly file: string
  readonly bytes: number
  /** What identifies this very backup, so that a restore refuses any other file: the sha256 of
   * the file where cutover can read it (the lab), or SQL Server's BackupSetGUID, since a real
   * backup is written on the SQL Server machine where cutover cannot hash it. */
  readonly checksum: string
  readonly checksumKind: ChecksumKind
}

/** The BackupInfo a backup step recorded in its outputs, or undefined when they hold none.
 * States written before checksumKind existed recorded `sha256` alone. */
export function backupInfoOf(outputs: Readonly<Record<string, unknown>> | undefined): BackupInfo | undefined {
  if (outputs === undefined || typeof outputs.file !== 'string' || typeof outputs.bytes !== 'number') return undefined
  const kind = outputs.checksumKind
  if (typeof outputs.checksum === 'string' && (CHECKSUM_KINDS as readonly unknown[]).includes(kind)) {
    return { file: outputs.file, bytes: outputs.bytes, checksum: outputs.checksum, checksumKind: kind as ChecksumKind }
  }
  if (typeof outputs.sha256 === 'string') return { file: outputs.file, bytes: outputs.bytes, checksum: outputs.sha256, checksumKind: 'sha256' }
  return undefined
}

/** Full copy-only backups of a store and their restore: SQL Server BACKUP/RESTORE on a real
 * deployment, SQLite's backup API in the lab. */
export interface Backups {
  backup(store: StoreRole, label: string): Promise<BackupInfo>
  /** Puts `from` back; refuses when the file is no longer the backup that was taken. */
  restore(store: StoreRole, from: BackupInfo): Promise<void>
}
