import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LabEmulator } from '../../runner/lab/emulator.js'
import { LAB_NAMES } from '../../runner/lab/lab-names.js'
import { createLab } from '../../runner/lab/seed.js'
import { readWorld } from '../../runner/lab/world.js'
import { flattenedName, nameKey } from '../../runner/plan/names.js'
import { cmd, exportCommand, importCommand, legacyNodes, rows, scopeWithoutArchive, tempDir, value } from './fixture.js'

/** `cutover lab init --legacy-pools 2`: a second legacy pool to merge into the same Persistent
 * Chat pool, whose names overlap the first's on purpose; and the import that overwrites them. */

const TARGET_POOL = LAB_NAMES.targetPool
const second = LAB_NAMES.second

async function twoPools(messages = 2000) {
  const dir = join(tempDir(), 'lab')
  const info = await createLab({ dir, rooms: 16, messages, legacyPools: 2 })
  return { dir, info, lab: new LabEmulator(dir, { faults: '' }) }
}

const flatNames = (file: string, type: number) => new Set(legacyNodes(file).filter((n) => n.nodeType === type).map((n) => nameKey(flattenedName(n.path))))

describe('lab init with two legacy pools', () => {
  it('builds a second pool, its server, store, Lookup account and trusted application, beside an unchanged first one', async () => {
    const t = await twoPools()
    const world = readWorld(t.dir)
    expect(world.pools.filter((p) => p.kind === 'groupchat').map((p) => p.fqdn)).toEqual([LAB_NAMES.legacyPool, second.legacyPool])
    expect(world.databases.map((d) => d.file)).toEqual([LAB_NAMES.legacyStoreFile, second.legacyStoreFile, LAB_NAMES.targetStoreFile])
    expect(world.servers.find((s) => s.fqdn === second.legacyServer)?.services.map((s) => `${s.name} ${s.status}`)).toEqual(LAB_NAMES.legacyServices.map((n) => `${n} Running`))
    expect(world.users.map((u) => u.sipAddress)).toContain(second.lookupAccount)
    expect(world.trustedApplicationPools.map((p) => p.fqdn)).toEqual([LAB_NAMES.legacyPool, second.legacyPool])
    expect(t.info.second?.counts).toMatchObject({ rooms: 9, messages: 500 })
    expect(existsSync(join(t.dir, second.legacyFileStore))).toBe(true)
    // The first pool is the lab a single-pool init makes, row for row.
    const one = join(tempDir(), 'lab')
    await createLab({ dir: one, rooms: 16, messages: 2000 })
    for (const table of ['tblNode', 'tblPrincipal', 'tblPrincipalRole', 'tblScopePrincipal']) {
      expect(rows(join(t.dir, LAB_NAMES.legacyStoreFile), `SELECT * FROM ${table} ORDER BY rowid`), table).toEqual(rows(join(one, LAB_NAMES.legacyStoreFile), `SELECT * FROM ${table} ORDER BY rowid`))
    }
    expect(value(join(t.dir, LAB_NAMES.legacyStoreFile), 'SELECT COUNT(*) FROM tblChat')).toBe(2000)
  })

  it('gives the second pool categories and rooms the first has, under the same flattened names', async () => {
    const t = await twoPools()
    const legacy2 = join(t.dir, second.legacyStoreFile)
    const overlap = (type: number) => [...flatNames(legacy2, type)].filter((n) => flatNames(t.info.legacyStore, type).has(n)).sort()
    expect(overlap(1)).toEqual(['engineering', 'engineering build', 'sales'])
    expect(overlap(0)).toEqual(['engineering build release train', 'engineering code review ‘daily’', 'sales pipeline review'])
  })
})

describe('Import-CsPersistentChatData of a second pool into the same store', () => {
  it('overwrites the same-named categories and rooms the first import created, as Microsoft documents', async () => {
    const t = await twoPools()
    const legacy2 = join(t.dir, second.legacyStoreFile)
    await t.lab.run(exportCommand('hq.ndjson', { Scope: scopeWithoutArchive(t.info.legacyStore) }))
    const first = await t.lab.run(importCommand('hq.ndjson'))
    expect(first.data).toMatchObject({ overwrittenCategories: 0, overwrittenRooms: 0 })
    const review = 'Engineering Code review ‘daily’'
    const id = value(t.info.pchatStore, 'SELECT nodeID FROM tblNode WHERE nodeName = @review', { review })
    const hqMessages = value(t.info.pchatStore, 'SELECT COUNT(*) FROM tblChat WHERE channelId = @id', { id })
    const categories = value(t.info.pchatStore, 'SELECT COUNT(*) FROM tblNode WHERE nodeType = 1')

    await t.lab.run(cmd('Export-CsPersistentChatData', { DBInstance: second.legacyInstance, DBName: second.legacyDatabase, FileName: 'emea.ndjson' }))
    const next = await t.lab.run(importCommand('emea.ndjson'))
    expect(next.data).toMatchObject({ overwrittenCategories: 3, overwrittenRooms: 3 })
    expect(next.warnings).toContainEqual(expect.stringMatching(/3 categories already in the Persistent Chat store are overwritten by same-named legacy ones: 'Engineering', 'Sales', 'Engineering Build'/))
    expect(next.warnings).toContainEqual(expect.stringMatching(/3 room\(s\) already in the Persistent Chat store are overwritten/))
    // One room, one category of each name: the first pool's are gone as such.
    expect(value(t.info.pchatStore, 'SELECT COUNT(*) FROM tblNode WHERE nodeType = 1')).toBe(categories + 1)
    expect(value(t.info.pchatStore, 'SELECT COUNT(*) FROM tblNode WHERE nodeName = @review', { review })).toBe(1)
    // The room is the same node, now with the second pool's attributes and roles, and both pools' messages.
    expect(value(t.info.pchatStore, 'SELECT nodeID FROM tblNode WHERE nodeName = @review', { review })).toBe(id)
    const emeaRoom = legacyNodes(legacy2).find((n) => n.nodeType === 0 && n.path.join('/') === 'Engineering/Code review ‘daily’')
    const emeaMessages = value(legacy2, 'SELECT COUNT(*) FROM tblChat WHERE channelId = @room', { room: emeaRoom?.nodeID ?? -1 })
    expect(value(t.info.pchatStore, 'SELECT COUNT(*) FROM tblChat WHERE channelId = @id', { id })).toBe(hqMessages + emeaMessages)
    const description = (file: string, node: number) => rows<{ d: string | null }>(file, 'SELECT nodeDesc AS d FROM tblNode WHERE nodeID = @node', { node })[0]?.d
    expect(description(t.info.pchatStore, id)).toBe(description(legacy2, emeaRoom?.nodeID ?? -1))
  })
})

describe('room and category cmdlets while Persistent Chat is stopped', () => {
  it('are refused: the lab assumes they need the services (Microsoft does not say)', async () => {
    const t = await twoPools(200)
    await t.lab.run(exportCommand('hq.ndjson', { Scope: scopeWithoutArchive(t.info.legacyStore) }))
    await t.lab.run(importCommand('hq.ndjson'))
    const rename = cmd('Set-CsPersistentChatCategory', { Identity: `${TARGET_POOL}\\Sales`, Name: 'Sales HQ' })
    await t.lab.run(cmd('Stop-CsWindowsService', { Name: LAB_NAMES.targetService, ComputerName: LAB_NAMES.targetServer }))
    for (const c of [rename, cmd('Get-CsPersistentChatRoom', { PersistentChatPoolFqdn: TARGET_POOL }), cmd('Remove-CsPersistentChatRoom', { Identity: `${TARGET_POOL}\\Sales Pipeline review`, Force: { switch: true } })]) {
      await expect(t.lab.run(c), c.cmdlet).rejects.toThrow(/Cannot reach the Persistent Chat pool pchat\.lab\.cutover\.test: its services are stopped \(RTCCHAT on pc01\.lab\.cutover\.test[,)]/)
    }
    expect(value(t.info.pchatStore, "SELECT COUNT(*) FROM tblNode WHERE nodeName = 'Sales'")).toBe(1)
    await t.lab.run(cmd('Start-CsWindowsService', { Name: LAB_NAMES.targetService, ComputerName: LAB_NAMES.targetServer }))
    await t.lab.run(rename)
    expect(value(t.info.pchatStore, "SELECT COUNT(*) FROM tblNode WHERE nodeName = 'Sales HQ'")).toBe(1)
  })
})
