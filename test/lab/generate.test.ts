import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LabError } from '../../runner/lab/errors.js'
import { LAB_NAMES } from '../../runner/lab/lab-names.js'
import { createLab } from '../../runner/lab/seed.js'
import { readWorld } from '../../runner/lab/world.js'
import { flattenedName } from '../../runner/plan/names.js'
import { CUTOFF_TICKS, legacyNodes, newLab, rows, tempDir, value } from './fixture.js'

/** A digest of every row of every table, columns named (from the schema). */
function storeDigest(file: string): string {
  const hash = createHash('sha256')
  const tables = rows<{ name: string }>(file, "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'labEmulatorInfo' ORDER BY name")
  for (const { name } of tables) {
    const columns = rows<{ name: string }>(file, `SELECT name FROM pragma_table_info('${name}')`).map((c) => c.name)
    hash.update(`${name}\n`)
    for (const row of rows<unknown[]>(file, `SELECT ${columns.join(', ')} FROM ${name} ORDER BY rowid`)) hash.update(`${JSON.stringify(row)}\n`)
  }
  return hash.digest('hex')
}

function filesDigest(folder: string): string {
  const hash = createHash('sha256')
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, e.name)
      if (e.isDirectory()) walk(path)
      else hash.update(`${relative(folder, path)}\n`).update(readFileSync(path))
    }
  }
  walk(folder)
  return hash.digest('hex')
}

describe('createLab', () => {
  it('gives the same rows and files for the same seed and sizes, other rows for another seed', async () => {
    const [a, b, c] = await Promise.all([newLab({ seed: 7 }), newLab({ seed: 7 }), newLab({ seed: 8 })])
    expect(storeDigest(a.info.legacyStore)).toBe(storeDigest(b.info.legacyStore))
    expect(storeDigest(a.info.pchatStore)).toBe(storeDigest(b.info.pchatStore))
    expect(filesDigest(a.info.legacyFiles)).toBe(filesDigest(b.info.legacyFiles))
    expect(a.info.counts).toEqual(b.info.counts)
    expect(storeDigest(a.info.legacyStore)).not.toBe(storeDigest(c.info.legacyStore))
    expect(filesDigest(a.info.legacyFiles)).not.toBe(filesDigest(c.info.legacyFiles))
  })

  it('writes the sizes asked for, an empty Persistent Chat store and file store, and lab.json last', async () => {
    const { info } = await newLab({ rooms: 60, messages: 5000 })
    expect(value(info.legacyStore, 'SELECT COUNT(*) FROM tblNode WHERE nodeType = 0')).toBe(60)
    expect(value(info.legacyStore, 'SELECT COUNT(*) FROM tblChat')).toBe(5000)
    expect(info.counts).toMatchObject({ rooms: 60, messages: 5000 })
    expect(rows(info.pchatStore, 'SELECT nodeID, parentID, nodeType FROM tblNode')).toEqual([{ nodeID: 1, parentID: 1, nodeType: 1 }])
    expect(value(info.pchatStore, 'SELECT COUNT(*) FROM tblChat')).toBe(0)
    expect(readdirSync(info.pchatFiles)).toEqual([])
    expect(info.counts.files).toBeGreaterThan(0)
    expect(existsSync(`${info.legacyStore}.partial`)).toBe(false)
    expect(rows(info.legacyStore, "SELECT infoValue FROM labEmulatorInfo WHERE infoKey = 'note'")).toEqual([{ infoValue: expect.stringContaining('lab emulator') }])
  })

  it('refuses a folder that already holds a lab, and sizes out of range', async () => {
    const { dir } = await newLab({ messages: 10 })
    await expect(createLab({ dir })).rejects.toThrow(/lab emulator: .* already holds a lab/)
    await expect(createLab({ dir, messages: 10, replace: true })).resolves.toMatchObject({ counts: { messages: 10 } })
    await expect(createLab({ dir: join(tempDir(), 'x'), rooms: 3 })).rejects.toThrow(LabError)
    await expect(createLab({ dir: join(tempDir(), 'x'), seed: -1 })).rejects.toThrow(/seed must be a whole number/)
  })

  it('builds the emulated world with the names plans/lab.yaml uses', async () => {
    const { dir } = await newLab({ messages: 10 })
    const w = readWorld(dir)
    expect(w.note).toMatch(/lab emulator/)
    expect(w.servers).toEqual([
      { fqdn: 'gc01.lab.cutover.test', groupChatInstalled: true, services: ['GroupChatChannel', 'GroupChatLookup', 'GroupChatCompliance'].map((name) => ({ name, status: 'Running', lync: false })) },
      { fqdn: 'pc01.lab.cutover.test', groupChatInstalled: false, services: [{ name: 'RTCCHAT', status: 'Running', lync: true }, { name: 'CutoverLabChatDependent', status: 'Running', lync: true, dependsOn: ['RTCCHAT'] }] },
    ])
    expect(w.databases.map((d) => [d.instance, d.name, d.file])).toEqual([
      ['sql01.lab.cutover.test\\GC', 'GroupChat', 'legacy.sqlite'],
      ['sql02.lab.cutover.test\\PCHAT', 'mgc', 'pchat.sqlite'],
    ])
    expect(w.pools.map((p) => [p.fqdn, p.kind])).toEqual([['gcpool.lab.cutover.test', 'groupchat'], ['pchat.lab.cutover.test', 'persistentchat']])
    expect(w.users).toEqual([expect.objectContaining({ sipAddress: 'sip:ocschat@lab.cutover.test', registrarPool: 'fe01.lab.cutover.test', enabled: true, distinguishedName: expect.stringMatching(/^CN=ocschat,/) })])
    expect(w.endpoints).toEqual([])
    expect(w.policies).toEqual([{ identity: 'Global', enablePersistentChat: false }])
    expect(w.trustedApplicationPools.map((p) => [p.fqdn, p.applications.length])).toEqual([['gcpool.lab.cutover.test', 1]])
    expect(w.topology.publishCount).toBe(0)
  })
})

describe('the trouble a seeded Group Chat store holds', async () => {
  const { info } = await newLab({ seed: 42 })
  const file = info.legacyStore
  const nodes = legacyNodes(file)

  it('has the root category as its own parent and categories nested four deep', () => {
    expect(rows(file, 'SELECT parentID, nodeType FROM tblNode WHERE nodeID = 1')).toEqual([{ parentID: 1, nodeType: 1 }])
    expect(Math.max(...nodes.filter((n) => n.nodeType === 1).map((n) => n.path.length))).toBe(4)
  })

  it.each(["'", '’', '‘', '‚', '‛', '$(Get-Date)', '`', ';', '|', '#', '<#', 'Zürich', '東京', 'Ελληνικά'])('has names holding %s', (text) => {
    expect(value(file, 'SELECT COUNT(*) FROM tblNode WHERE instr(nodeName, @text) > 0', { text })).toBeGreaterThan(0)
  })

  it('has exactly one room whose flattened name is over 256 characters, in the Archive subtree', () => {
    const long = nodes.filter((n) => n.nodeType === 0 && flattenedName(n.path).length > 256)
    expect(long).toHaveLength(1)
    expect(long[0]?.path[0]).toBe(LAB_NAMES.archiveCategory)
    expect(nodes.filter((n) => n.nodeType === 1 && n.path.length === 1 && n.path[0] === 'Archive')).toHaveLength(1)
    // No other category shares a name with the Archive subtree, so -Scope can leave it out by name.
    const archiveNames = new Set(nodes.filter((n) => n.nodeType === 1 && n.path[0] === 'Archive').map((n) => n.path.at(-1)))
    expect(nodes.filter((n) => n.nodeType === 1 && n.path[0] !== 'Archive' && archiveNames.has(n.path.at(-1)))).toEqual([])
  })

  it('has SIP-disabled and deleted principals holding roles in rooms, and federated members', () => {
    const holders = rows<{ prinDisabled: number }>(file, `SELECT DISTINCT p.prinDisabled FROM tblPrincipalRole r JOIN tblPrincipal p ON p.prinID = r.prinRolePrinID
      JOIN tblNode n ON n.nodeID = r.prinRoleNodeID WHERE n.nodeType = 0 ORDER BY p.prinDisabled`)
    expect(holders.map((h) => h.prinDisabled)).toEqual([0, 1, 2])
    expect(value(file, `SELECT COUNT(*) FROM tblPrincipalRole r JOIN tblPrincipal p ON p.prinID = r.prinRolePrinID
      WHERE p.prinUri LIKE 'sip:%@fabrikam.com' AND r.prinRoleTypeID = 1`)).toBeGreaterThan(0)
  })

  it('has a room with invitations on in a category with them off', () => {
    expect(value(file, 'SELECT COUNT(*) FROM tblNode r JOIN tblNode c ON c.nodeID = r.parentID WHERE r.nodeType = 0 AND r.invite = 1 AND c.invite = 0')).toBe(1)
  })

  it('has disabled rooms, auditorium rooms, and managers on the root and on a top-level category', () => {
    expect(value(file, 'SELECT COUNT(*) FROM tblNode WHERE nodeType = 0 AND disabled = 1')).toBeGreaterThan(0)
    expect(value(file, 'SELECT COUNT(*) FROM tblNode WHERE nodeType = 0 AND behavior = 5')).toBeGreaterThan(0)
    expect(value(file, 'SELECT COUNT(*) FROM tblPrincipalRole WHERE prinRoleNodeID = 1 AND prinRoleTypeID = 2')).toBeGreaterThan(0)
    expect(value(file, 'SELECT COUNT(*) FROM tblPrincipalRole r JOIN tblNode n ON n.nodeID = r.prinRoleNodeID WHERE n.parentID = 1 AND n.nodeID <> 1 AND n.nodeType = 1 AND r.prinRoleTypeID = 2')).toBeGreaterThan(0)
  })

  it('has messages over several years on both sides of the 2019 cutoff, some with quotes and non-ASCII', () => {
    expect(value(file, 'SELECT COUNT(*) FROM tblChat WHERE chatDate < @cutoff', { cutoff: CUTOFF_TICKS })).toBeGreaterThan(0)
    expect(value(file, 'SELECT COUNT(*) FROM tblChat WHERE chatDate >= @cutoff', { cutoff: CUTOFF_TICKS })).toBeGreaterThan(0)
    const years = value(file, "SELECT COUNT(DISTINCT strftime('%Y', chatDate / 10000000 - 62135596800, 'unixepoch')) FROM tblChat")
    expect(years).toBeGreaterThanOrEqual(5)
    expect(value(file, "SELECT COUNT(*) FROM tblChat WHERE instr(content, '’') > 0 OR instr(content, '東京') > 0")).toBeGreaterThan(0)
    // chatId is a per-room sequence from 1.
    expect(rows(file, 'SELECT channelId FROM tblChat GROUP BY channelId HAVING MIN(chatId) <> 1 OR MAX(chatId) <> COUNT(*)')).toEqual([])
  })
})

describe('createLab at size', () => {
  it('generates 200,000 messages over 200 rooms', async () => {
    const dir = join(tempDir(), 'lab')
    const started = performance.now()
    const seen: number[] = []
    const info = await createLab({ dir, rooms: 200, messages: 200_000, progress: (p) => seen.push(p.done) })
    console.log(`lab emulator: createLab 200 rooms / 200,000 messages took ${Math.round(performance.now() - started)} ms`)
    expect(value(info.legacyStore, 'SELECT COUNT(*) FROM tblChat')).toBe(200_000)
    expect(seen.at(-1)).toBe(200_000)
    expect(seen.length).toBeGreaterThan(2)
  })
})
