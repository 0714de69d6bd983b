import type { Rule } from './rule.js'

export const backupDirectory: Rule = {
  id: 'backup-directory',
  describe: 'every SQL Server store names where its backups go',
  check({ plan, report }) {
    // The lab emulator keeps its backups beside the lab; real backups are written by SQL Server.
    if (plan.environment.shell === 'lab') return
    const missing = 'SQL Server writes cutover\'s backups of this store on its own machine, and the folder must be chosen for its room (a backup can need 20 times the disk of an export): add backupDirectory: <folder as the SQL Server service sees it>, e.g. E:\\SQLBackup'
    plan.sources.forEach((s, i) => {
      if (s.database.backupDirectory === undefined) report({ path: ['sources', i, 'database'], part: 'key', severity: 'error', message: `sources[${i}] (${s.id}).database has no backupDirectory; ${missing}` })
    })
    if (plan.target.database.backupDirectory === undefined) report({ path: ['target', 'database'], part: 'key', severity: 'error', message: `target.database has no backupDirectory; ${missing}` })
  },
}
