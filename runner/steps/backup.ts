import { inputOf } from './kind.js'
import type { StepKind, StoreRole } from './kind.js'

interface Input { readonly store: StoreRole; readonly label: string }

/** A full copy-only backup of a store; the target's is what an interrupted import and rollback
 * restore. Running it again just takes a fresh one. */
export const backupKind: StepKind = {
  kind: 'backup',
  idempotent: true,
  render: (step, plan) => {
    const i = inputOf<Input>(step)
    const db = i.store.kind === 'target' ? plan.target.database : plan.sources.find((s) => i.store.kind === 'source' && s.id === i.store.id)?.database
    return [{ type: 'backup', store: db === undefined ? i.label : `${db.instance}/${db.name}`, to: i.label }]
  },
  async run(ctx) {
    const i = inputOf<Input>(ctx.step)
    const info = await ctx.backups.backup(i.store, i.label)
    ctx.log(`backup ${info.file}: ${info.bytes} bytes, sha256 ${info.sha256}`)
    return { outputs: { file: info.file, bytes: info.bytes, sha256: info.sha256 } }
  },
}
