import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LabCommandError } from '../../runner/lab/errors.js'
import { EXPORT_FORMAT } from '../../runner/lab/export-format.js'
import type { ExportRecord } from '../../runner/lab/export-format.js'
import { flattenedName } from '../../runner/plan/names.js'
import { CUTOFF_TICKS, exportCommand, importCommand, legacyNodes, newLab, rows, scopeWithoutArchive, sha256, value } from './fixture.js'
import type { TestLab } from './fixture.js'

function records(file: string): ExportRecord[] {
  return readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ExportRecord)
}

/** Exports what a plan with Archive left out and a 2019 cutoff exports. */
async function exportForPlan(t: TestLab, name = 'exports/gc.ndjson'): Promise<string> {
  await t.lab.run(exportCommand(name, { Scope: scopeWithoutArchive(t.info.legacyStore), StartDate: { date: '2019-01-01' } }))
  return name
}

/** (node name, principal guid, role) triples: roles compared across stores by what they mean. */
function roleSet(file: string, sql: string): Set<string> {
  return new Set(rows<{ node: string; guid: string; role: number }>(file, sql).map((r) => `${r.node}\u0000${r.guid}\u0000${r.role}`))
}

describe('Export-CsPersistentChatData (lab emulator)', () => {
  it('streams a header saying it is a lab emulator export, then the records in order, then an end record', async () => {
    const t = await newLab()
    const result = await t.lab.run(exportCommand('exports/all.ndjson'))
    const all = records(join(t.dir, 'exports/all.ndjson'))
    const header = all[0]
    expect(header).toMatchObject({ type: 'header', format: EXPORT_FORMAT, version: 1, note: expect.stringContaining('lab emulator export'), scope: null, startDate: null })
    expect(all.at(-1)).toMatchObject({ type: 'end' })
    const order = ['header', 'addin', 'principal', 'category', 'room', 'role', 'scope', 'message', 'end']
    const ranks = all.map((r) => order.indexOf(r.type))
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
    // Disabled rooms are how an admin keeps a room out of the migration: not exported.
    const enabledRooms = value(t.info.legacyStore, 'SELECT COUNT(*) FROM tblNode WHERE nodeType = 0 AND disabled = 0')
    expect(all.filter((r) => r.type === 'room')).toHaveLength(enabledRooms)
    expect(result.data).toMatchObject({ rooms: enabledRooms, sha256: sha256(join(t.dir, 'exports/all.ndjson')) })
    expect(result.output.every((l) => l.startsWith('lab emulator: '))).toBe(true)
    expect(result.warnings?.some((w) => w.includes('GroupChatChannel on gc01.lab.cutover.test is running'))).toBe(true)
  })

  it('exports only the categories -Scope names and the rooms directly in them', async () => {
    const t = await newLab()
    await t.lab.run(exportCommand('e.ndjson', { Scope: ['engineering'] }))
    const all = records(join(t.dir, 'e.ndjson'))
    expect(all.filter((r) => r.type === 'category').map((r) => r.type === 'category' && r.path)).toEqual([['Engineering']])
    const expected = legacyNodes(t.info.legacyStore).filter((n) => n.nodeType === 0 && n.disabled === 0 && n.path.length === 2 && n.path[0] === 'Engineering')
    expect(all.filter((r) => r.type === 'room').map((r) => r.type === 'room' && r.path)).toEqual(expected.map((n) => n.path))
    // A subcategory alone keeps its full path, for the import to flatten.
    await t.lab.run(exportCommand('b.ndjson', { Scope: ['Build'] }))
    expect(records(join(t.dir, 'b.ndjson')).filter((r) => r.type === 'category').map((r) => r.type === 'category' && r.path)).toEqual([['Engineering', 'Build']])
    await expect(t.lab.run(exportCommand('x.ndjson', { Scope: ['Engineering', 'Nope'] }))).rejects.toThrow(/lab emulator: Export-CsPersistentChatData : -Scope names categories that do not exist: 'Nope'/)
  })

  it('exports only messages on or after -StartDate', async () => {
    const t = await newLab()
    const result = await t.lab.run(exportCommand('e.ndjson', { StartDate: { date: '2019-01-01' } }))
    const messages = records(join(t.dir, 'e.ndjson')).filter((r) => r.type === 'message')
    const expected = value(t.info.legacyStore, 'SELECT COUNT(*) FROM tblChat c JOIN tblNode n ON n.nodeID = c.channelId WHERE n.disabled = 0 AND c.chatDate >= @cutoff', { cutoff: CUTOFF_TICKS })
    expect(messages).toHaveLength(expected)
    expect(result.data?.messages).toBe(expected)
    expect(messages.every((m) => m.type === 'message' && BigInt(m.date) >= CUTOFF_TICKS)).toBe(true)
  })

  it('disables the exported nodes in the source with -DisableExportedNodes', async () => {
    const t = await newLab({ messages: 100 })
    await t.lab.run(exportCommand('e.ndjson', { Scope: ['Sales'], DisableExportedNodes: { switch: true } }))
    expect(value(t.info.legacyStore, "SELECT disabled FROM tblNode WHERE nodeName = 'Sales'")).toBe(1)
    expect(value(t.info.legacyStore, "SELECT disabled FROM tblNode WHERE nodeName = 'Engineering'")).toBe(0)
  })

  it('refuses levels it does not emulate and unknown instances', async () => {
    const t = await newLab({ messages: 10 })
    await expect(t.lab.run(exportCommand('e.ndjson', { Level: 'User' }))).rejects.toThrow(/-Level User is not emulated/)
    await expect(t.lab.run({ ...exportCommand('e.ndjson'), params: [['DBInstance', 'nope\\X'], ['FileName', 'e.ndjson']] })).rejects.toThrow(/cannot connect to SQL Server instance 'nope\\X'/)
  })
})

describe('Import-CsPersistentChatData (lab emulator)', () => {
  it('flattens categories, imports enabled rooms, messages since the cutoff, and roles minus principals not provisioned', async () => {
    const t = await newLab()
    const file = await exportForPlan(t)
    const result = await t.lab.run(importCommand(file))
    const legacy = t.info.legacyStore
    const target = t.info.pchatStore
    const scoped = legacyNodes(legacy).filter((n) => n.path[0] !== 'Archive')
    const categories = scoped.filter((n) => n.nodeType === 1)
    const rooms = scoped.filter((n) => n.nodeType === 0 && n.disabled === 0)

    const targetCategories = rows<{ nodeName: string; parentID: number }>(target, 'SELECT nodeName, parentID FROM tblNode WHERE nodeType = 1 AND nodeID <> 1')
    expect(targetCategories.map((c) => c.nodeName).sort()).toEqual(categories.map((c) => flattenedName(c.path)).sort())
    expect(targetCategories.every((c) => c.parentID === 1)).toBe(true)
    expect(targetCategories.map((c) => c.nodeName)).toContain('Engineering Build Nightly ‘core’ builds Zürich lab')

    const targetRooms = rows<{ room: string; category: string }>(target, 'SELECT r.nodeName AS room, c.nodeName AS category FROM tblNode r JOIN tblNode c ON c.nodeID = r.parentID WHERE r.nodeType = 0')
    expect(targetRooms.map((r) => [r.room, r.category]).sort()).toEqual(rooms.map((r) => [flattenedName(r.path), flattenedName(r.path.slice(0, -1))]).sort())

    const perRoom = (store: string, sql: string): Record<string, number> => Object.fromEntries(rows<{ name: string; n: number }>(store, sql, { cutoff: CUTOFF_TICKS }).map((r) => [r.name, r.n]))
    const legacyCounts = perRoom(legacy, 'SELECT channelId AS name, COUNT(*) AS n FROM tblChat WHERE chatDate >= @cutoff GROUP BY channelId')
    const expectedCounts = Object.fromEntries(rooms.filter((r) => (legacyCounts[r.nodeID] ?? 0) > 0).map((r) => [flattenedName(r.path), legacyCounts[r.nodeID] ?? 0]))
    expect(perRoom(target, 'SELECT n.nodeName AS name, COUNT(*) AS n FROM tblChat c JOIN tblNode n ON n.nodeID = c.channelId GROUP BY n.nodeName')).toEqual(expectedCounts)
    expect(result.data?.messages).toBe(Object.values(expectedCounts).reduce((a, b) => a + b, 0))
    expect(value(target, 'SELECT MIN(chatDate) >= @cutoff FROM tblChat', { cutoff: CUTOFF_TICKS })).toBe(1)

    // Roles: the legacy ones on imported nodes held by active principals, plus the root category's
    // active managers as managers of every imported room.
    const ids = new Map(scoped.map((n) => [n.nodeID, flattenedName(n.path)]))
    const legacyRoles = rows<{ node: number; guid: string; role: number }>(legacy, `SELECT r.prinRoleNodeID AS node, p.prinGuid AS guid, r.prinRoleTypeID AS role
      FROM tblPrincipalRole r JOIN tblPrincipal p ON p.prinID = r.prinRolePrinID WHERE p.prinDisabled = 0`)
    const expected = new Set<string>()
    const importedRooms = new Set(rooms.map((r) => r.nodeID))
    const importedNodes = new Set([...categories.map((c) => c.nodeID), ...importedRooms])
    for (const r of legacyRoles) {
      if (importedNodes.has(r.node)) expected.add(`${ids.get(r.node) ?? ''}\u0000${r.guid}\u0000${r.role}`)
      if (r.node === 1 && r.role === 2) for (const room of rooms) expected.add(`${flattenedName(room.path)}\u0000${r.guid}\u00002`)
    }
    const actual = roleSet(target, `SELECT n.nodeName AS node, p.prinGuid AS guid, r.prinRoleTypeID AS role FROM tblPrincipalRole r
      JOIN tblPrincipal p ON p.prinID = r.prinRolePrinID JOIN tblNode n ON n.nodeID = r.prinRoleNodeID`)
    expect(actual).toEqual(expected)
    expect(result.data?.roles).toBe(expected.size)
    expect(value(target, 'SELECT COUNT(*) FROM tblPrincipalRole r JOIN tblPrincipal p ON p.prinID = r.prinRolePrinID WHERE p.prinDisabled <> 0')).toBe(0)
    expect(result.data?.droppedRoles).toBeGreaterThan(0)
    expect(result.warnings?.filter((w) => w.includes('principal not provisioned')).length).toBeGreaterThan(0)
    // Federated members are kept, with a warning.
    expect(value(target, "SELECT COUNT(*) FROM tblPrincipalRole r JOIN tblPrincipal p ON p.prinID = r.prinRolePrinID WHERE p.prinUri LIKE '%@fabrikam.com'")).toBeGreaterThan(0)
    expect(result.warnings?.some((w) => /federated principal sip:partner1@fabrikam.com is kept/.test(w))).toBe(true)
    expect([...result.output, ...(result.warnings ?? [])].every((l) => l.startsWith('lab emulator: '))).toBe(true)
  })

  it('sets invitations off, with a warning, for a room that has them on in a category that has them off', async () => {
    const t = await newLab({ messages: 100 })
    const result = await t.lab.run(importCommand(await exportForPlan(t)))
    expect(result.warnings).toContainEqual(expect.stringMatching(/^lab emulator: room 'Sales\/Deals ‚Q4‛ – invitations on' has invitations on but its category 'Sales' has them off: invitations are set off$/))
    expect(value(t.info.pchatStore, "SELECT invite FROM tblNode WHERE nodeName = 'Sales Deals ‚Q4‛ – invitations on'")).toBe(0)
  })

  it('refuses a flattened name over 256 characters before writing anything; -WhatIf reports it', async () => {
    const t = await newLab({ messages: 500 })
    await t.lab.run(exportCommand('all.ndjson'))
    const before = sha256(t.info.pchatStore)
    const whatIf = await t.lab.run(importCommand('all.ndjson', { WhatIf: { switch: true } }))
    expect(whatIf.data?.errors).toEqual([expect.stringMatching(/^lab emulator: room 'Archive\/Projects from before.*' is 266 characters once nested categories are flattened; Persistent Chat allows 256/)])
    expect(whatIf.output).toContainEqual(expect.stringMatching(/is 266 characters/))
    const error = await t.lab.run(importCommand('all.ndjson', { Report: 'import.html' })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LabCommandError)
    expect((error as Error).message).toMatch(/^lab emulator: Import-CsPersistentChatData : 1 error\(s\), nothing was imported: room 'Archive\/.*' is 266 characters/)
    expect(sha256(t.info.pchatStore)).toBe(before)
    expect(readFileSync(join(t.dir, 'import.html'), 'utf8')).toMatch(/lab emulator report[\s\S]*is 266 characters/)
  })

  it('writes nothing with -WhatIf and returns what it would do', async () => {
    const t = await newLab()
    const file = await exportForPlan(t)
    const before = sha256(t.info.pchatStore)
    const result = await t.lab.run(importCommand(file, { WhatIf: { switch: true } }))
    expect(sha256(t.info.pchatStore)).toBe(before)
    expect(result.data).toMatchObject({ whatIf: true, errors: [], messages: records(join(t.dir, file)).filter((r) => r.type === 'message').length })
    expect(result.output[0]).toMatch(/^lab emulator: What if: would import \d+ categories/)
    expect(result.warnings?.length).toBeGreaterThan(0)
  })

  it('duplicates the messages when run twice on top of itself, overwriting same-named rooms', async () => {
    const t = await newLab()
    const file = await exportForPlan(t)
    const first = await t.lab.run(importCommand(file))
    const rooms = value(t.info.pchatStore, 'SELECT COUNT(*) FROM tblNode WHERE nodeType = 0')
    const second = await t.lab.run(importCommand(file))
    expect(value(t.info.pchatStore, 'SELECT COUNT(*) FROM tblChat')).toBe(2 * Number(first.data?.messages))
    expect(value(t.info.pchatStore, 'SELECT COUNT(*) FROM tblNode WHERE nodeType = 0')).toBe(rooms)
    expect(second.data).toMatchObject({ overwrittenRooms: rooms })
    expect(second.warnings).toContainEqual(expect.stringMatching(/room\(s\) already in the Persistent Chat store are overwritten/))
    // chatId stays a sequence: the second copy follows the first.
    expect(rows(t.info.pchatStore, 'SELECT channelId FROM tblChat GROUP BY channelId HAVING COUNT(DISTINCT chatId) <> COUNT(*) OR MIN(chatId) <> 1')).toEqual([])
  })

  it('finds a principal already in the target by its URI as SQL Server does (ASCII case folded), and by nothing else', async () => {
    const t = await newLab({ messages: 300 })
    const file = await exportForPlan(t)
    const first = await t.lab.run(importCommand(file))
    const { default: Database } = await import('better-sqlite3')
    const db = new Database(t.info.pchatStore)
    // Two principals the second import cannot find by GUID: one whose URI differs in ASCII case
    // only (the same account), one whose 'k' became the Kelvin sign, which JavaScript's
    // toLowerCase folds to 'k' and SQL Server's collation does not (another account).
    const other = db.prepare("SELECT prinID, prinUri FROM tblPrincipal WHERE prinUri LIKE '%k%' ORDER BY prinID LIMIT 1").get() as { prinID: number; prinUri: string } | undefined
    const same = db.prepare("SELECT prinID, prinUri FROM tblPrincipal WHERE prinUri LIKE 'sip:%' AND prinID <> ? ORDER BY prinID LIMIT 1").get(other?.prinID ?? 0) as { prinID: number; prinUri: string } | undefined
    if (same === undefined || other === undefined) throw new Error('the lab has no principals with URIs')
    const move = db.prepare('UPDATE tblPrincipal SET prinGuid = ?, prinUri = ? WHERE prinID = ?')
    move.run('11111111-1111-1111-1111-111111111111', same.prinUri.toUpperCase(), same.prinID)
    move.run('22222222-2222-2222-2222-222222222222', other.prinUri.replace('k', '\u212A'), other.prinID)
    db.close()
    const second = await t.lab.run(importCommand(file))
    expect(first.data?.principalsAdded).toBeGreaterThan(2)
    // Only the principal whose URI now differs by more than ASCII case is added again.
    expect(other.prinUri.replace('k', '\u212A').toLowerCase()).toBe(other.prinUri)
    expect(second.data?.principalsAdded).toBe(1)
    expect(value(t.info.pchatStore, 'SELECT COUNT(*) FROM tblPrincipal WHERE prinUri = @uri COLLATE NOCASE', { uri: same.prinUri })).toBe(1)
    expect(value(t.info.pchatStore, 'SELECT COUNT(*) FROM tblPrincipal WHERE prinUri = @uri', { uri: other.prinUri })).toBe(1)
  })

  it('refuses a file cut short, and a file that is not an export, before writing anything', async () => {
    const t = await newLab({ messages: 300 })
    const file = await exportForPlan(t)
    const text = readFileSync(join(t.dir, file), 'utf8')
    const { writeFileSync } = await import('node:fs')
    writeFileSync(join(t.dir, 'cut.ndjson'), text.slice(0, text.length - 200))
    writeFileSync(join(t.dir, 'other.ndjson'), '{"type":"header","format":"zip"}\n{"type":"end","counts":{}}\n')
    const before = sha256(t.info.pchatStore)
    await expect(t.lab.run(importCommand('cut.ndjson'))).rejects.toThrow(/is not a complete lab emulator export/)
    await expect(t.lab.run(importCommand('other.ndjson'))).rejects.toThrow(/lab emulator: .*is this a lab emulator export\?/)
    await expect(t.lab.run(importCommand('missing.ndjson'))).rejects.toThrow(/Cannot find path 'missing.ndjson'/)
    await expect(t.lab.run(importCommand(file, { DBInstance: 'sql01.lab.cutover.test\\GC' }))).rejects.toThrow(/cannot open a Persistent Chat database on instance/)
    expect(sha256(t.info.pchatStore)).toBe(before)
  })
})
