import type { StoreRole } from './kind.js'

export interface BackupInfo {
  readonly file: string
  readonly bytes: number
  readonly sha256: string
}

/** Full copy-only backups of a store and their restore: SQL Server BACKUP/RESTORE on a real
 * deployment, SQLite's backup API in the lab. */
export interface Backups {
  backup(store: StoreRole, label: string): Promise<BackupInfo>
  restore(store: StoreRole, from: BackupInfo): Promise<void>
  /** Where backups of a store go, for the preview. */
  describe(store: StoreRole, label: string): string
}
