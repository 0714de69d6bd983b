/**
 * The import and the backup before it refuse to run on a Persistent Chat store that already holds
 * this source's rooms with their messages (issue 13, item 1), with read-only parameterised queries.
 */
import { describe, expect, it } from 'vitest'
import type { SqlClient } from '../../runner/core/sql-client.js'
import type { Step } from '../../runner/core/step.js'
import { ROOM_CONTENT } from '../../runner/sql/queries.js'
import type { RunContext } from '../../runner/steps/define.js'
import { backupKind } from '../../runner/steps/kinds/backup.js'
import { importKind } from '../../runner/steps/kinds/import.js'
import type { ImportInput } from '../../runner/steps/kinds/import.js'
import { labPlan } from '../helpers/engine-fakes.js'
import { platformOf } from '../../runner/runtimes/index.js'

type Rows = { nodeGuid: string; messages: number }[]

function ctxWith(legacy: Rows, target: Rows, ran: string[], queried: string[] = []): RunContext {
  const client = (rows: Rows): SqlClient => ({
    query: async (sql: string, params?: unknown) => {
      expect(sql).toBe(ROOM_CONTENT)
      expect(params).toEqual({ room: 0 })
      return rows as never
    },
    close: async () => undefined,
  } as unknown as SqlClient)
  return {
    sql: async (store: { readonly kind: string }) => {
      queried.push(store.kind)
      return client(store.kind === 'target' ? target : legacy)
    },
    record: () => ({ id: 'x', status: 'done', fingerprint: 'f', attempts: 1, endedAt: '2026-12-06T04:00:00.000Z' }),
    host: { name: 'fake', run: async () => { ran.push('host'); return [] }, close: async () => undefined },
    backups: { backup: async () => { ran.push('backup'); return { file: 'b', bytes: 1, checksum: 'c', checksumKind: 'sha256' } }, restore: async () => undefined },
    log: () => undefined,
  } as unknown as RunContext
}

const plan = labPlan()
const platform = platformOf(plan)
const realImport = importKind.fromPlan(plan, platform).map((e) => e.step).find((s) => s.id === 'cutover.import.gc2010') as Step<'import', ImportInput>
const backupTarget = backupKind.fromPlan(plan, platform).map((e) => e.step).find((s) => s.id === 'cutover.backup-target.gc2010')

describe('the guard against importing a source twice', () => {
  const legacy = [{ nodeGuid: 'a1', messages: 5 }, { nodeGuid: 'b2', messages: 0 }]

  it('refuses the import and the backup before it when a legacy room is in Persistent Chat with messages', async () => {
    const ran: string[] = []
    const ctx = ctxWith(legacy, [{ nodeGuid: 'A1', messages: 5 }], ran)
    await expect(importKind.run(realImport, ctx)).rejects.toThrow(/cutover\.import\.gc2010 refused: the Persistent Chat store already holds 1 room\(s\) of gc2010 with their messages/)
    if (backupTarget === undefined) throw new Error('no backup-target step')
    await expect(backupKind.run(backupTarget, ctx)).rejects.toThrow(/a backup now would replace the one taken before the first import/)
    expect(ran).toEqual([])
  })

  it('lets them run on an empty store, or one whose same rooms hold no messages', async () => {
    const ran: string[] = []
    await expect(backupKind.run(backupTarget as Step<'backup', never>, ctxWith(legacy, [], ran))).resolves.toBeDefined()
    await expect(backupKind.run(backupTarget as Step<'backup', never>, ctxWith(legacy, [{ nodeGuid: 'A1', messages: 0 }], ran))).resolves.toBeDefined()
    expect(ran).toEqual(['backup', 'backup'])
  })

  it('asks the target first, and the legacy store only when the target holds rooms with messages', async () => {
    // Counting a big legacy store's messages per room took 0.1 s at 300,000 messages (issue 14).
    const queried: string[] = []
    await importKind.run(realImport, ctxWith(legacy, [], [], queried))
    expect(queried).toEqual(['target'])
    queried.length = 0
    await importKind.run(realImport, ctxWith(legacy, [{ nodeGuid: 'C3', messages: 2 }], [], queried))
    expect(queried).toEqual(['target', 'source'])
  })
})
