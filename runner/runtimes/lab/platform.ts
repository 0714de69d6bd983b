import type { Platform } from '../../core/platform.js'
import { contentsPattern, joinWith } from '../../core/wildcard.js'
import type { Plan } from '../../plan/types.js'
import { placeOf } from '../../sql/store-place.js'

/** The lab's platform: its scripts "run" on this machine, with `/` paths relative to the plan;
 * a backup is a copy of the SQLite file with its backup API, so the preview shows no statements. */
export function labPlatform(plan: Plan): Platform {
  return {
    joinPath: (dir, file) => joinWith('/', dir, file),
    folderContents: (folder) => contentsPattern(folder, '/'),
    previewBackup(store, label) {
      const db = placeOf(plan, store).database
      return { type: 'backup', store: `${db.instance}/${db.name}`, to: label }
    },
  }
}
