import { cpSync, existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LabCommandError } from '../../runner/lab/errors.js'
import { LAB_NAMES } from '../../runner/lab/lab-names.js'
import { uninstallGroupChat } from '../../runner/lab/uninstall.js'
import { readWorld } from '../../runner/lab/world.js'
import { escapeWildcard } from '../../runner/core/wildcard.js'
import { cmd, exportCommand, importCommand, newLab, scopeWithoutArchive, value } from './fixture.js'
import type { TestLab } from './fixture.js'

const GC = LAB_NAMES.legacyServer
const PC = LAB_NAMES.targetServer
const POOL = LAB_NAMES.targetPool

async function migrated(): Promise<TestLab> {
  const t = await newLab({ messages: 2000 })
  await t.lab.run(exportCommand('gc.ndjson', { Scope: scopeWithoutArchive(t.info.legacyStore) }))
  await t.lab.run(importCommand('gc.ndjson'))
  return t
}

describe('parameter binding and unknown cmdlets', () => {
  it('fails the way PowerShell would, saying it is the lab emulator', async () => {
    const { lab } = await newLab({ messages: 10 })
    await expect(lab.run(cmd('Get-CsSite'))).rejects.toThrow(/^lab emulator: Get-CsSite : The term 'Get-CsSite' is not recognized as the name of a cmdlet/)
    await expect(lab.run(cmd('Get-CsUser', { Identity: 'x', Bogus: 'y' }))).rejects.toThrow("lab emulator: Get-CsUser : A parameter cannot be found that matches parameter name 'Bogus'.")
    await expect(lab.run(cmd('Import-CsPersistentChatData', { FileName: 'x' }))).rejects.toThrow('Cannot process command because of one or more missing mandatory parameters: DBInstance.')
    await expect(lab.run(cmd('Set-CsPersistentChatPolicy', { Identity: 'Global', EnablePersistentChat: 'yes' }))).rejects.toThrow(/Cannot convert value "yes" to type "System.Boolean"/)
    await expect(lab.run(cmd('Export-CsPersistentChatData', { DBInstance: 'a', FileName: 'b', StartDate: { date: '2019-02-30' } }))).rejects.toThrow(/System.DateTime/)
    await expect(lab.run(cmd('Get-CsUser', { Identity: 'x' }))).rejects.toBeInstanceOf(LabCommandError)
    // Names are case-insensitive; common parameters are accepted.
    await expect(lab.run(cmd('get-csuser', { identity: LAB_NAMES.lookupAccount, Verbose: { switch: true } }))).resolves.toMatchObject({ data: { Enabled: true } })
    await expect(lab.run(cmd('Copy-Item', { Path: 'C:\\x', Destination: 'y' }))).rejects.toThrow(/is a Windows path; lab emulator paths are relative to the lab folder/)
  })
})

describe('services', () => {
  it('stops and starts Group Chat services on the legacy server and reports their status', async () => {
    const { lab, dir } = await newLab({ messages: 10 })
    const stopped = await lab.run(cmd('Stop-Service', { Name: [...LAB_NAMES.legacyServices] }, GC))
    expect(stopped.output).toContain('lab emulator: stopped GroupChatChannel on gc01.lab.cutover.test')
    const status = await lab.run(cmd('Get-Service', { Name: ['GroupChatLookup'] }, GC))
    expect(status.data).toEqual({ services: [{ Name: 'GroupChatLookup', Status: 'Stopped', MachineName: GC }] })
    expect(readWorld(dir).servers[0]?.services.every((s) => s.status === 'Stopped')).toBe(true)
    await expect(lab.run(cmd('Stop-Service', { Name: 'GroupChatChannel' }, GC))).resolves.toMatchObject({ output: ['lab emulator: GroupChatChannel on gc01.lab.cutover.test was already stopped'] })
    await lab.run(cmd('Start-Service', { Name: ['GroupChatChannel'] }, GC))
    expect(readWorld(dir).servers[0]?.services.map((s) => s.status)).toEqual(['Running', 'Stopped', 'Stopped'])
    await expect(lab.run(cmd('Stop-Service', { Name: ['GroupChatChannel', 'Nope'] }, GC))).rejects.toThrow("Stop-Service : Cannot find any service with service name 'Nope'.")
    expect(readWorld(dir).servers[0]?.services[0]?.status).toBe('Running')
    await expect(lab.run(cmd('Stop-Service', { Name: 'RTCCHAT' }, 'nope.lab.cutover.test'))).rejects.toThrow(/Connecting to remote server nope.lab.cutover.test failed/)
  })

  it('stops and starts Lync services with the Cs cmdlets, which do not touch Group Chat services', async () => {
    const { lab, dir } = await newLab({ messages: 10 })
    await lab.run(cmd('Stop-CsWindowsService', { Name: 'RTCCHAT', ComputerName: PC }))
    expect(readWorld(dir).servers[1]?.services[0]?.status).toBe('Stopped')
    // Its dependent is stopped with it, and not started with it (as Microsoft documents).
    await expect(lab.run(cmd('Get-CsWindowsService', { ComputerName: PC }))).resolves.toMatchObject({ data: { services: [{ Name: 'RTCCHAT', Status: 'Stopped' }, { Name: LAB_NAMES.targetDependentService, Status: 'Stopped' }] } })
    await lab.run(cmd('Start-CsWindowsService', { Name: 'RTCCHAT' }))
    expect(readWorld(dir).servers[1]?.services.map((s) => s.status)).toEqual(['Running', 'Stopped'])
    await expect(lab.run(cmd('Stop-CsWindowsService', { Name: 'GroupChatChannel', ComputerName: GC }))).rejects.toThrow(/Cannot find a Lync Server service named 'GroupChatChannel'/)
  })

  it('uninstalls Group Chat from a legacy server: its services are gone', async () => {
    const { lab, dir } = await newLab({ messages: 10 })
    const result = await uninstallGroupChat(dir, GC)
    expect(result.output[0]).toMatch(/^lab emulator: uninstalled Group Chat from gc01/)
    expect(readWorld(dir).servers[0]).toEqual({ fqdn: GC, groupChatInstalled: false, services: [] })
    await expect(lab.run(cmd('Stop-Service', { Name: 'GroupChatChannel' }, GC))).rejects.toThrow(/Cannot find any service with service name 'GroupChatChannel'/)
    await expect(uninstallGroupChat(dir, GC)).resolves.toMatchObject({ data: { changed: false } })
    await expect(uninstallGroupChat(dir, 'nope')).rejects.toThrow(/lab emulator: no server nope/)
  })
})

describe('the Lookup Server account and the Persistent Chat endpoint', () => {
  it('needs the user disabled before its SIP address can become the endpoint, and back', async () => {
    const { lab, dir } = await newLab({ messages: 10 })
    const user = await lab.run(cmd('Get-CsUser', { Identity: LAB_NAMES.lookupAccount }))
    expect(user.data).toMatchObject({ SipAddress: LAB_NAMES.lookupAccount, RegistrarPool: LAB_NAMES.registrarPool, Enabled: true, DistinguishedName: expect.stringMatching(/^CN=ocschat,/) })
    const endpoint = cmd('New-CsPersistentChatEndpoint', { SipAddress: LAB_NAMES.lookupAccount, PersistentChatPoolFqdn: POOL, DisplayName: 'Persistent Chat' })
    await expect(lab.run(endpoint)).rejects.toThrow(/already in use by CN=ocschat/)
    await lab.run(cmd('Disable-CsUser', { Identity: LAB_NAMES.lookupAccount }))
    // As Microsoft documents it: a disabled user is no longer returned by Get-CsUser.
    await expect(lab.run(cmd('Get-CsUser', { Identity: LAB_NAMES.lookupAccount }))).rejects.toThrow(/Management object not found for identity/)
    await lab.run(endpoint)
    expect(readWorld(dir).endpoints).toEqual([expect.objectContaining({ sipAddress: LAB_NAMES.lookupAccount, poolFqdn: POOL, displayName: 'Persistent Chat' })])
    await expect(lab.run(cmd('Get-CsPersistentChatEndpoint'))).resolves.toMatchObject({ data: { endpoints: [{ SipAddress: LAB_NAMES.lookupAccount, PersistentChatPoolFqdn: POOL }] } })
    await expect(lab.run(endpoint)).rejects.toThrow(/An endpoint already exists/)
    await expect(lab.run(cmd('New-CsPersistentChatEndpoint', { SipAddress: 'ocschat2@lab.cutover.test', PersistentChatPoolFqdn: POOL }))).rejects.toThrow(/must include the 'sip:' prefix/)
    await expect(lab.run(cmd('New-CsPersistentChatEndpoint', { SipAddress: 'sip:x@lab.cutover.test', PersistentChatPoolFqdn: LAB_NAMES.legacyPool }))).rejects.toThrow(/is not a Persistent Chat pool/)
    const dn = String(user.data?.DistinguishedName)
    const enable = cmd('Enable-CsUser', { Identity: dn, RegistrarPool: LAB_NAMES.registrarPool, SipAddress: LAB_NAMES.lookupAccount })
    await expect(lab.run(enable)).rejects.toThrow(/already in use by .*Persistent Chat endpoint/)
    await lab.run(cmd('Remove-CsPersistentChatEndpoint', { Identity: LAB_NAMES.lookupAccount }))
    await lab.run(enable)
    expect(readWorld(dir).users[0]?.enabled).toBe(true)
    await expect(lab.run(cmd('Remove-CsPersistentChatEndpoint', { Identity: LAB_NAMES.lookupAccount }))).rejects.toThrow(/Management object not found for identity/)
  })
})

describe('policy and topology', () => {
  it('enables Persistent Chat in a policy', async () => {
    const { lab, dir } = await newLab({ messages: 10 })
    await lab.run(cmd('Set-CsPersistentChatPolicy', { Identity: 'Global', EnablePersistentChat: { bool: true } }))
    expect(readWorld(dir).policies).toEqual([{ identity: 'Global', enablePersistentChat: true }])
    await expect(lab.run(cmd('Get-CsPersistentChatPolicy', { Identity: 'global' }))).resolves.toMatchObject({ data: { policies: [{ EnablePersistentChat: true }] } })
    await expect(lab.run(cmd('Set-CsPersistentChatPolicy', { Identity: 'Tag:Nope', EnablePersistentChat: { bool: true } }))).rejects.toThrow(/Management object not found/)
  })

  it('removes the legacy trusted application pool and publishes the topology', async () => {
    const { lab, dir } = await newLab({ messages: 10 })
    await lab.run(cmd('Remove-CsTrustedApplicationPool', { Identity: `TrustedApplicationPool:${LAB_NAMES.legacyPool}` }))
    expect(readWorld(dir).trustedApplicationPools).toEqual([])
    expect(readWorld(dir).topology).toEqual({ publishCount: 0, unpublishedChanges: 1 })
    await lab.run(cmd('Enable-CsTopology'))
    expect(readWorld(dir).topology).toEqual({ publishCount: 1, unpublishedChanges: 0 })
    await expect(lab.run(cmd('Remove-CsTrustedApplicationPool', { Identity: LAB_NAMES.legacyPool }))).rejects.toThrow(/Management object not found/)
  })
})

describe('rooms and categories after the import', () => {
  it('lists, renames, moves and changes rooms', async () => {
    const t = await migrated()
    const listed = await t.lab.run(cmd('Get-CsPersistentChatRoom', { Category: `${POOL}\\Sales` }))
    expect(listed.data?.rooms).toContainEqual({
      Identity: `${POOL}\\Sales Pipeline review`, Name: 'Sales Pipeline review', Category: `${POOL}\\Sales`, Description: null,
      Disabled: false, Privacy: 'Closed', Type: 'Normal', Invitations: expect.any(String),
    })
    const identity = `${POOL}\\Engineering Code review ‘daily’`
    const changed = await t.lab.run(cmd('Set-CsPersistentChatRoom', { Identity: identity, Name: 'code-review', Privacy: 'Secret', Disabled: { bool: true }, Description: "O'Brien’s room", Category: `${POOL}\\Sales` }))
    expect(changed.data).toMatchObject({ Identity: `${POOL}\\code-review`, Privacy: 'Secret', Disabled: true, Description: "O'Brien’s room", Category: `${POOL}\\Sales` })
    expect(value(t.info.pchatStore, "SELECT visibility FROM tblNode WHERE nodeName = 'code-review'")).toBe(2)
    // Sales denies one user: moving a room there purges that member if it had him.
    expect(changed.data?.PurgedMembers).toEqual(expect.any(Number))
    await expect(t.lab.run(cmd('Set-CsPersistentChatRoom', { Identity: identity }))).rejects.toThrow(/Cannot find the room with identity/)
    await expect(t.lab.run(cmd('Set-CsPersistentChatRoom', { Identity: `${POOL}\\code-review`, Name: 'Sales Pipeline review' }))).rejects.toThrow(/A room named 'Sales Pipeline review' already exists/)
    await expect(t.lab.run(cmd('Set-CsPersistentChatRoom', { Identity: `${POOL}\\code-review`, Privacy: 'Hidden' }))).rejects.toThrow(/does not belong to the set "Open,Closed,Secret"/)
    await expect(t.lab.run(cmd('Set-CsPersistentChatRoom', { Identity: `${POOL}\\code-review`, Name: 'x'.repeat(257) }))).rejects.toThrow(/it must be 1 to 256/)
    await expect(t.lab.run(cmd('Set-CsPersistentChatRoom', { Identity: 'code-review', Name: 'y' }))).rejects.toThrow(/is not written '<pool FQDN>\\<name>'/)
  })

  it('removes a room with its messages, and renames a category', async () => {
    const t = await migrated()
    const name = 'Sales Pipeline review'
    const id = value(t.info.pchatStore, 'SELECT nodeID FROM tblNode WHERE nodeName = @name', { name })
    const messages = value(t.info.pchatStore, 'SELECT COUNT(*) FROM tblChat WHERE channelId = @id', { id })
    const removed = await t.lab.run(cmd('Remove-CsPersistentChatRoom', { Identity: `${POOL}\\${name}`, Force: { switch: true } }))
    expect(removed.data).toMatchObject({ messages })
    expect(value(t.info.pchatStore, 'SELECT COUNT(*) FROM tblChat WHERE channelId = @id', { id })).toBe(0)
    expect(value(t.info.pchatStore, 'SELECT COUNT(*) FROM tblNode WHERE nodeID = @id', { id })).toBe(0)
    await t.lab.run(cmd('Set-CsPersistentChatCategory', { Identity: `${POOL}\\Sales`, Name: 'Sales EMEA' }))
    expect(value(t.info.pchatStore, "SELECT COUNT(*) FROM tblNode WHERE nodeType = 1 AND nodeName = 'Sales EMEA'")).toBe(1)
    await expect(t.lab.run(cmd('Set-CsPersistentChatCategory', { Identity: `${POOL}\\Sales EMEA`, Name: 'Engineering' }))).rejects.toThrow(/A category named 'Engineering' already exists/)
  })
})

describe('Copy-Item', () => {
  it('copies what is inside the legacy file store with a trailing \\*', async () => {
    const t = await newLab({ messages: 10 })
    const seen: number[] = []
    const result = await t.lab.run(cmd('Copy-Item', { Path: 'files\\legacy\\*', Destination: 'files\\pchat', Recurse: { switch: true }, Force: { switch: true } }), (p) => seen.push(p.done))
    expect(result.data?.files).toBe(t.info.counts.files)
    expect(seen.at(-1)).toBe(t.info.counts.files)
    expect(readdirSync(t.info.pchatFiles).sort()).toEqual(readdirSync(t.info.legacyFiles).sort())
    const room = readdirSync(t.info.legacyFiles)[0] ?? ''
    const file = readdirSync(join(t.info.legacyFiles, room))[0] ?? ''
    expect(readFileSync(join(t.info.pchatFiles, room, file), 'utf8')).toBe(readFileSync(join(t.info.legacyFiles, room, file), 'utf8'))
  })

  it('reads `[`, `]` and backticks escaped with a backtick as literal characters, as -Path does, and refuses real wildcards', async () => {
    const t = await newLab({ messages: 10 })
    cpSync(t.info.legacyFiles, join(t.dir, 'files', 'leg[2010]`x'), { recursive: true })
    await t.lab.run(cmd('Copy-Item', { Path: escapeWildcard('files/leg[2010]`x') + '/*', Destination: 'files/pchat', Recurse: { switch: true } }))
    expect(readdirSync(t.info.pchatFiles).sort()).toEqual(readdirSync(t.info.legacyFiles).sort())
    await expect(t.lab.run(cmd('Copy-Item', { Path: 'files/leg[2010]`x/*', Destination: 'files/other' }))).rejects.toThrow(/only emulates a trailing/)
    await expect(t.lab.run(cmd('Copy-Item', { Path: 'files/leg?/*', Destination: 'files/other' }))).rejects.toThrow(/only emulates a trailing/)
  })

  it('copies a folder into an existing destination folder as a subfolder, as PowerShell does', async () => {
    const t = await newLab({ messages: 10 })
    await t.lab.run(cmd('Copy-Item', { Path: 'files/legacy', Destination: 'files/pchat', Recurse: { switch: true } }))
    expect(readdirSync(t.info.pchatFiles)).toEqual(['legacy'])
    await t.lab.run(cmd('Copy-Item', { Path: 'files/legacy', Destination: 'files/copy' }))
    expect(readdirSync(join(t.dir, 'files/copy'))).toEqual([])
    await expect(t.lab.run(cmd('Copy-Item', { Path: 'files/nope', Destination: 'x' }))).rejects.toThrow("Cannot find path 'files/nope' because it does not exist.")
    expect(existsSync(join(t.dir, 'x'))).toBe(false)
  })
})
