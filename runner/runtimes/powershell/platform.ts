import type { Platform } from '../../core/platform.js'
import { contentsPattern, joinWith } from '../../core/wildcard.js'
import type { Plan } from '../../plan/types.js'
import { BACKUP_SQL, HEADER_SQL, VERIFY_SQL, backupFileOf } from '../../sql/backup-sql.js'
import { placeOf } from '../../sql/store-place.js'

/** The platform of a Lync server: Windows paths, and SQL Server's BACKUP, RESTORE VERIFYONLY and
 * RESTORE HEADERONLY into the store's backupDirectory (none shown when the plan names none: the
 * backup step then fails and says so). */
export function powershellPlatform(plan: Plan): Platform {
  return {
    joinPath: (dir, file) => joinWith('\\', dir, file),
    folderContents: (folder) => contentsPattern(folder, '\\'),
    previewBackup(store, label) {
      const db = placeOf(plan, store).database
      const name = `${db.instance}/${db.name}`
      // SQL Server runs these statements, with the database name and the file as parameters
      // (@db, @file, @name).
      if (db.backupDirectory === undefined) return { type: 'backup', store: name, to: label }
      return { type: 'backup', store: name, to: backupFileOf(plan, store, label), statements: [BACKUP_SQL, VERIFY_SQL, HEADER_SQL] }
    },
  }
}
