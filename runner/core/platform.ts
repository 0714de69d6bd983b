import type { RenderedAction, StoreRole } from './step.js'

/**
 * What differs between the machines a plan's scripts run on, as the steps need it: how paths
 * are written there and how a backup is shown. Each runtime provides one (the lab: this
 * machine's paths and SQLite copies; PowerShell: Windows paths and SQL Server BACKUP), so no
 * step compares shell names.
 */
export interface Platform {
  /** A file in a folder, with the separator of the machine that reads the path. */
  joinPath(dir: string, file: string): string
  /** A folder's contents as a wildcard for Copy-Item -Path: the folder with its wildcard
   * characters escaped, then the separator and `*`. */
  folderContents(folder: string): string
  /** How the preview shows the backup of `store` under `label` (where it goes, what runs). */
  previewBackup(store: StoreRole, label: string): RenderedAction
}
