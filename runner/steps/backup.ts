import { BACKUP_SQL, HEADER_SQL, VERIFY_SQL, backupFileOf } from '../sql/backup-sql.js'
import { inputOf } from './kind.js'
import type { RenderedAction, StepKind, StoreRole } from './kind.js'

interface Input { readonly store: StoreRole; readonly label: string }

/** A full copy-only backup of a store; the target's is what an interrupted import and rollback
 * restore. Running it again just takes a fresh one. */
export const backupKind: StepKind = {
  kind: 'backup',
  idempotent: true,
  render: (step, plan): RenderedAction[] => {
    const i = inputOf<Input>(step)
    const db = i.store.kind === 'target' ? plan.target.database : plan.sources.find((s) => i.store.kind === 'source' && s.id === i.store.id)?.database
    const store = db === undefined ? i.label : `${db.instance}/${db.name}`
    // The lab backs up with SQLite's backup API; SQL Server runs these statements, with the
    // database name and the file as parameters (@db, @file, @name).
    if (plan.environment.shell === 'lab' || db?.backupDirectory === undefined) return [{ type: 'backup', store, to: i.label }]
    return [{ type: 'backup', store, to: backupFileOf(plan, i.store, i.label), statements: [BACKUP_SQL, VERIFY_SQL, HEADER_SQL] }]
  },
  async run(ctx) {
    const i = inputOf<Input>(ctx.step)
    const info = await ctx.backups.backup(i.store, i.label)
    ctx.log(`backup ${info.file}: ${info.bytes} bytes, ${info.checksumKind} ${info.checksum}`)
    return { outputs: { file: info.file, bytes: info.bytes, checksum: info.checksum, checksumKind: info.checksumKind } }
  },
}
