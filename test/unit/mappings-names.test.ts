import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Command } from '../../runner/core/command.js'
import { sha256Hex } from '../../runner/core/hash.js'
import type { Host } from '../../runner/core/host.js'
import type { SqlClient } from '../../runner/core/sql-client.js'
import type { Step } from '../../runner/core/step.js'
import type { RoomRules } from '../../runner/plan/room-rules.js'
import type { Inventory, InventoryRoom } from '../../runner/sql/inventory.js'
import type { RunContext } from '../../runner/steps/define.js'
import { frozenInventoryId } from '../../runner/steps/kinds/inventory.js'
import { mappingsId, mappingsKind } from '../../runner/steps/kinds/mappings.js'
import type { MappingsInput } from '../../runner/steps/kinds/mappings.js'
import type { StepRecord } from '../../runner/state/types.js'

/**
 * The mappings read back the names the import really made (the target store) before changing
 * anything: a wrong guess of how Import flattens names is one clear error before any change, not
 * a "not found" half way through the window; and every -Identity is spelled as the store has it.
 */

const room = (id: number, categoryId: number, categoryPath: string[], name: string): InventoryRoom => ({
  id, name, categoryId, categoryPath, disabled: false, invite: null, visibility: 6, behavior: 4, messages: 1, allMessages: 1, roles: {}, rootManagersHere: 0, unprovisioned: 0, federated: 0,
})

/** A legacy store with General (Announcements, Lobby) and Sales/EMEA (Pipeline). */
const LEGACY: Inventory = {
  cutoff: null, principals: { active: 0, sipDisabled: 0, deleted: 0 }, rootManagers: 0, accessControlEntries: 0,
  totals: { categories: 3, rooms: 3, messages: 3, allMessages: 3, roles: 0 },
  categories: [
    { id: 2, path: ['General'], flattened: 'General', disabled: false, invite: 0 },
    { id: 3, path: ['Sales'], flattened: 'Sales', disabled: false, invite: 0 },
    { id: 4, path: ['Sales', 'EMEA'], flattened: 'Sales EMEA', disabled: false, invite: 0 },
  ],
  rooms: [room(5, 2, ['General'], 'Announcements'), room(6, 2, ['General'], 'Lobby'), room(7, 4, ['Sales', 'EMEA'], 'Pipeline')],
}

const RULES: RoomRules = {
  unmapped: 'migrate',
  categories: [{ source: 'hq', from: 'Sales/EMEA', to: 'EMEA Sales', export: true }],
  map: [{ source: 'hq', room: 'General/Announcements', action: 'migrate', rename: 'HQ Announcements', category: null, privacy: 'open', disabled: null, description: null }],
}

type Node = { nodeID: number; parentID: number; nodeType: number; nodeName: string }
const root: Node = { nodeID: 1, parentID: 1, nodeType: 1, nodeName: 'Root' }

/** The target store right after the import: by default with the names cutover expects. */
function importedAs(names: { announcements?: string; lobby?: string; emea?: string; pipeline?: string } = {}): Node[] {
  return [
    root,
    { nodeID: 10, parentID: 1, nodeType: 1, nodeName: 'General' },
    { nodeID: 11, parentID: 1, nodeType: 1, nodeName: 'Sales' },
    { nodeID: 12, parentID: 1, nodeType: 1, nodeName: names.emea ?? 'Sales EMEA' },
    { nodeID: 13, parentID: 10, nodeType: 0, nodeName: names.announcements ?? 'General Announcements' },
    { nodeID: 14, parentID: 10, nodeType: 0, nodeName: names.lobby ?? 'General Lobby' },
    { nodeID: 15, parentID: 12, nodeType: 0, nodeName: names.pipeline ?? 'Sales EMEA Pipeline' },
  ]
}

function context(nodes: readonly Node[]): { ctx: RunContext; ran: Command[]; log: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-mappings-'))
  const text = JSON.stringify(LEGACY)
  writeFileSync(join(dir, 'inventory-hq.json'), text)
  const inventoryRecord: StepRecord = { status: 'done', attempts: 1, fingerprint: 'x', endedAt: '2026-12-06T04:00:00.000Z', outputs: { source: 'hq', artifact: 'inventory-hq.json', sha256: sha256Hex(text) } } as unknown as StepRecord
  const ran: Command[] = []
  const log: string[] = []
  const host: Host = { name: 'fake', async run(commands) { ran.push(...commands); return commands.map(() => ({ output: [] })) }, async close() {} }
  const sql = { async query() { return nodes.map((n) => ({ ...n })) } } as unknown as SqlClient
  const ctx = {
    host, sql: async () => sql, artifactsDir: dir, signal: new AbortController().signal,
    record: (id: string) => (id === frozenInventoryId('hq') ? inventoryRecord : undefined),
    progress: () => undefined, log: (line: string) => log.push(line),
  } as unknown as RunContext
  return { ctx, ran, log }
}

const step: Step<'mappings', MappingsInput> = {
  id: mappingsId(), kind: 'mappings', phase: 'cutover', title: 'Apply the room and category mappings', fingerprint: 'x',
  input: { pool: 'pchat.contoso.com', rules: RULES, sources: ['hq'], inventorySteps: [frozenInventoryId('hq')] },
}

const identities = (cmds: readonly Command[]) => cmds.map((c) => `${c.cmdlet} ${String(c.params.find(([k]) => k === 'Identity')?.[1])}`)

describe('the mappings address what the import really created', () => {
  it('with the names cutover expects: one change per mapping, each -Identity a name the store holds', async () => {
    const { ctx, ran } = context(importedAs())
    await mappingsKind.run(step, ctx)
    expect(identities(ran)).toEqual(['Set-CsPersistentChatCategory pchat.contoso.com\\Sales EMEA', 'Set-CsPersistentChatRoom pchat.contoso.com\\General Announcements'])
  })

  it('spells each -Identity as the store does (its names compare case-insensitively)', async () => {
    const { ctx, ran } = context(importedAs({ announcements: 'GENERAL announcements', emea: 'sales emea' }))
    await mappingsKind.run(step, ctx)
    expect(identities(ran)).toEqual(['Set-CsPersistentChatCategory pchat.contoso.com\\sales emea', 'Set-CsPersistentChatRoom pchat.contoso.com\\GENERAL announcements'])
  })

  it('a wrong guess (rooms of a top-level category not prefixed, another separator) is one error before any change, naming what the store has', async () => {
    const { ctx, ran, log } = context(importedAs({ announcements: 'Announcements', lobby: 'Lobby', emea: 'Sales - EMEA', pipeline: 'Sales - EMEA - Pipeline' }))
    const error = await mappingsKind.run(step, ctx).then(() => undefined, (e: unknown) => e as Error)
    expect(ran).toEqual([])
    expect(error?.message).toMatch(/^the Persistent Chat store does not hold 4 item\(s\) of this source under the names cutover expects the import to give them, so no mapping was applied: /)
    expect(error?.message).toContain("category 'Sales/EMEA' of hq as 'Sales EMEA' (the store has 'Sales - EMEA')")
    expect(error?.message).toContain("room 'General/Announcements' of hq as 'General Announcements' (the store has 'Announcements')")
    // Lobby has no mapping, but its look-alike says the guess is wrong for this store too.
    expect(error?.message).toContain("room 'General/Lobby' of hq as 'General Lobby' (the store has 'Lobby')")
    expect(error?.message).toContain('docs/microsoft-facts.md#what-cutover-guesses')
    expect(log.filter((l) => l.startsWith('not found: '))).toHaveLength(4)
  })

  it('an item addressed by a mapping that is simply not there is the same error, before any change', async () => {
    const { ctx, ran } = context(importedAs().filter((n) => n.nodeID !== 13))
    await expect(mappingsKind.run(step, ctx)).rejects.toThrow(/does not hold 1 item\(s\).*room 'General\/Announcements' of hq as 'General Announcements' \(not there\)/)
    expect(ran).toEqual([])
  })

  it('an unmapped room that is missing without a look-alike is left to verify (Import may have dropped it)', async () => {
    const { ctx, ran } = context(importedAs().filter((n) => n.nodeID !== 14))
    await mappingsKind.run(step, ctx)
    expect(ran).toHaveLength(2)
  })

  it('after a crash, finds the changes already made under their new names and makes only the rest', async () => {
    const nodes = importedAs().map((n) => (n.nodeID === 12 ? { ...n, nodeName: 'EMEA Sales' } : n))
    const { ctx, ran } = context(nodes)
    await mappingsKind.run(step, ctx)
    expect(identities(ran)).toEqual(['Set-CsPersistentChatRoom pchat.contoso.com\\General Announcements'])
  })
})
