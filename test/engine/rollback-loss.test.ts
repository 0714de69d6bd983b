import { describe, expect, it } from 'vitest'
import { manualClock } from '../../runner/core/clock.js'
import { stepId } from '../../runner/core/step.js'
import type { Step } from '../../runner/core/step.js'
import { describeLoss, rollbackLoss } from '../../runner/engine/rollback-loss.js'
import { MemoryStateStore } from '../../runner/state/memory-store.js'
import type { StepRecord } from '../../runner/state/types.js'
import { INSIDE, fakeKind, fakeStep, makeEngine, stateWith } from '../helpers/engine-fakes.js'
import type { Timeline } from '../helpers/engine-fakes.js'

const done = (id: string, kind: string, outputs: Record<string, number | string | boolean> = {}, endedAt = INSIDE): StepRecord => ({ id, kind, fingerprint: 'f', attempts: 1, status: 'done', endedAt, outputs })

function importStep(source: string): Step {
  const s = fakeStep(`cutover.import.${source}`, 'import', 'cutover', { whatIf: false, backupStep: `cutover.backup-target.${source}` })
  return { ...s, id: stepId('import', s.id) }
}

describe('rollbackLoss: what restoring the pre-import backup costs', () => {
  const records = {
    'cutover.backup-target.a': done('cutover.backup-target.a', 'backup', { file: 'backups/target-before-a.sqlite', rooms: 2, messages: 10 }, '2026-12-06T04:10:00.000Z'),
    'cutover.backup-target.b': done('cutover.backup-target.b', 'backup', { file: 'backups/target-before-b.sqlite', rooms: 20, messages: 500 }, '2026-12-06T05:00:00.000Z'),
    'cutover.verify': done('cutover.verify', 'verify', { targetRooms: 40, targetMessages: 1000 }),
  }
  // Undone newest first: b's import, then a's; a's backup is the one left restored.
  const toUndo = [importStep('b'), importStep('a')]

  it('names the oldest backup restored, when it was taken, and what the store gained since', () => {
    const loss = rollbackLoss(stateWith(records), toUndo, { rooms: 40, messages: 1000 })
    expect(loss).toEqual({
      backup: { step: 'cutover.backup-target.a', file: 'backups/target-before-a.sqlite', takenAt: '2026-12-06T04:10:00.000Z', holds: { rooms: 2, messages: 10 } },
      now: { rooms: 40, messages: 1000 },
      verified: { rooms: 40, messages: 1000 },
      gainedSinceBackup: { rooms: 38, messages: 990 },
    })
    expect(describeLoss(loss)).toEqual([
      'Restores the Persistent Chat store from backups/target-before-a.sqlite, taken at 2026-12-06T04:10:00.000Z (cutover.backup-target.a); it holds 2 rooms and 10 messages.',
      'The store holds 40 rooms and 1000 messages now: the restore deletes 38 rooms and 990 messages gained since the backup.',
      'The new clients were never enabled: nobody has posted in Persistent Chat, and a later apply imports the legacy content again.',
    ])
  })

  it('after the clients were enabled: counts what users added since the cutover was verified', () => {
    const enabled = { ...records, 'post.enable-clients': done('post.enable-clients', 'enable-clients', {}, '2026-12-06T06:00:00.000Z') }
    const loss = rollbackLoss(stateWith(enabled), toUndo, { rooms: 41, messages: 1234 })
    expect(loss).toMatchObject({ clientsEnabledAt: '2026-12-06T06:00:00.000Z', gainedSinceCutover: { rooms: 1, messages: 234 } })
    expect(describeLoss(loss).at(-1)).toBe('The new clients were enabled at 2026-12-06T06:00:00.000Z. Since the cutover was verified, users added 1 room and 234 messages: the restore DELETES them and no later apply brings them back.')
  })

  it('says so when the store cannot be counted', () => {
    const enabled = { ...records, 'post.enable-clients': done('post.enable-clients', 'enable-clients') }
    const lines = describeLoss(rollbackLoss(stateWith(enabled), toUndo, { error: 'login failed' }))
    expect(lines[1]).toBe('The Persistent Chat store could not be counted now (login failed): what the restore deletes is not known.')
    expect(lines[2]).toMatch(/DELETED by the restore .*could not be counted/)
  })
})

describe('Engine.rollback after the new clients were enabled', () => {
  it('is refused without discardNewContent, changing nothing; with it, runs and journals the decision and the loss', async () => {
    const t: Timeline = []
    const undoable = fakeKind('undoable', t, { undo: true })
    const clients = fakeKind('enable-clients', t, { undo: true })
    const steps = [fakeStep('cutover.a', 'undoable'), fakeStep('post.enable-clients', 'enable-clients', 'post')]
    const store = new MemoryStateStore()
    const kinds = [undoable, clients]
    await makeEngine({ steps, kinds, store, clock: manualClock(INSIDE) }).engine.apply()
    const before = JSON.stringify(await store.load())
    t.length = 0
    await expect(makeEngine({ steps, kinds, store, clock: manualClock(INSIDE) }).engine.rollback()).rejects.toThrow(/the new clients were enabled at 2026-12-06T04:00:00\.000Z: .*deletes whatever users posted since.*--dry-run.*--discard-new-content/)
    expect(t).toEqual([])
    expect(JSON.stringify(await store.load())).toBe(before)
    await expect(makeEngine({ steps, kinds, store, clock: manualClock(INSIDE) }).engine.rollback({ discardNewContent: true, loss: { gainedSinceCutover: { rooms: 0, messages: 3 } } })).resolves.toMatchObject({ outcome: 'done', undone: ['post.enable-clients', 'cutover.a'] })
    expect((await store.readJournal()).find((e) => e.event === 'rollback-start')).toMatchObject({ detail: { clientsEnabledAt: INSIDE, discardNewContent: true, loss: { gainedSinceCutover: { messages: 3 } } } })
  })
})
