import { stepId } from '../../core/step.js'
import type { StepId, StoreRole } from '../../core/step.js'
import { defineStep, makeStep } from '../define.js'
import { fixedMinutes } from '../forecasts.js'
import { TARGET_TOTALS } from '../../sql/queries.js'
import { storeTotals } from '../../sql/totals.js'
import type { RunContext } from '../define.js'
import type { JsonObject } from '../../core/json.js'
import { importedRooms } from '../imported.js'

/** `before`: the source whose import this backup of Persistent Chat comes just before. */
export type BackupInput = { readonly store: StoreRole; readonly label: string; readonly before?: string }

/** The backup of a source's legacy store, right after its services stop. */
export function legacyBackupId(source: string): StepId<'backup'> {
  return stepId('backup', `cutover.backup-legacy.${source}`)
}

/** The backup of the Persistent Chat store just before a source is imported: what an
 * interrupted import and rollback restore. */
export function targetBackupId(source: string): StepId<'backup'> {
  return stepId('backup', `cutover.backup-target.${source}`)
}

/** A full copy-only backup of a store; the target's is what an interrupted import and rollback
 * restore. Running it again just takes a fresh one. */
export const backupKind = defineStep<'backup', BackupInput>({
  kind: 'backup',
  traits: { idempotent: true },
  fromPlan: (plan) => plan.sources.flatMap((s, lane) => [
    { slot: 'backup-legacy', lane, step: makeStep('backup', legacyBackupId(s.id), 'cutover', `Back up the legacy store ${s.database.name}`, { store: { kind: 'source', id: s.id }, label: `legacy-${s.id}` }) },
    { slot: 'backup-target', lane, step: makeStep('backup', targetBackupId(s.id), 'cutover', `Back up the Persistent Chat store before importing ${s.id}`, { store: { kind: 'target' }, label: `target-before-${s.id}`, before: s.id }) },
  ] as const),
  forecast: () => fixedMinutes(15),
  // Where the backup goes and what runs differs by runtime (SQLite's backup API in the lab, SQL
  // Server's BACKUP elsewhere): the platform says.
  // A target backup also counts what the store holds, for rollback's account of what a restore
  // of it deletes.
  preview: (step, _known, platform) => [
    platform.previewBackup(step.input.store, step.input.label),
    ...(step.input.store.kind === 'target' ? [{ type: 'sql', store: 'target', queries: [TARGET_TOTALS] } as const] : []),
  ],
  async run(step, ctx) {
    const i = step.input
    // A backup of a store the source was already imported into would replace (same file) the one
    // rollback and a recovered import restore: the store as it was before the first import.
    const held = i.before === undefined ? 0 : await importedRooms(ctx, i.before)
    if (held > 0) {
      throw new Error(
        `${step.id} refused: the Persistent Chat store already holds ${held} room(s) of ${i.before ?? ''} with their messages; a backup now would replace the one taken before the first import. ` +
        'Check cutover status (was the state lost? cutover repair rebuilds it from the journal)',
      )
    }
    const counted = i.store.kind === 'target' ? await countTarget(ctx) : {}
    const info = await ctx.backups.backup(i.store, i.label)
    ctx.log(`backup ${info.file}: ${info.bytes} bytes, ${info.checksumKind} ${info.checksum}`)
    return { outputs: { file: info.file, bytes: info.bytes, checksum: info.checksum, checksumKind: info.checksumKind, ...counted } }
  },
})

/** The target's rooms and messages as the backup takes them (the services are stopped, so
 * nothing changes in between). A count that fails does not fail the backup: rollback then says
 * it does not know what the backup holds. */
async function countTarget(ctx: RunContext): Promise<JsonObject> {
  try {
    const t = await storeTotals(await ctx.sql({ kind: 'target' }))
    return { rooms: t.rooms, messages: t.messages }
  } catch (e) {
    ctx.log(`could not count the rooms and messages of the Persistent Chat store: ${e instanceof Error ? e.message : String(e)}`)
    return {}
  }
}
