import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { restoreStore, backupStore } from '../../runner/lab/backup.js'
import { EMULATED_CMDLETS, LabEmulator } from '../../runner/lab/emulator.js'
import { LabCommandError, LabError } from '../../runner/lab/errors.js'
import { parseFaults } from '../../runner/lab/faults.js'
import { IMPORT_BATCH } from '../../runner/lab/cmdlets/import.js'
import { LAB_NAMES } from '../../runner/lab/lab-names.js'
import { runInChild } from './child.js'
import { cmd, exportCommand, importCommand, newLab, scopeWithoutArchive, sha256, value } from './fixture.js'

describe('parseFaults', () => {
  it('reads each kind of fault', () => {
    expect(parseFaults(' crash:Import-CsPersistentChatData@0.5 , fail:get-csuser@2,verify:missing-room', EMULATED_CMDLETS)).toEqual([
      { kind: 'crash', cmdlet: 'Import-CsPersistentChatData', fraction: 0.5, spec: 'crash:Import-CsPersistentChatData@0.5' },
      { kind: 'fail', cmdlet: 'Get-CsUser', invocation: 2, spec: 'fail:get-csuser@2' },
      { kind: 'verify', what: 'missing-room', spec: 'verify:missing-room' },
    ])
    expect(parseFaults(undefined, EMULATED_CMDLETS)).toEqual([])
    expect(parseFaults('', EMULATED_CMDLETS)).toEqual([])
  })

  it.each([
    ['crash:Import-CsPersistentChatData@1.5', 'has no fraction between 0 and 1'],
    ['crash:Import-CsPersistentChatData', 'is not a fault spec'],
    ['fail:Get-CsUser@0', 'has no invocation number'],
    ['fail:Get-CsSite@1', 'names no cmdlet the lab emulator knows'],
    ['verify:missing-category', 'is not a fault spec'],
    ['crash:Copy-Item@0.5,', "'' is not a fault spec"],
  ])('rejects %s, naming it', (spec, why) => {
    expect(() => parseFaults(spec, EMULATED_CMDLETS)).toThrow(LabError)
    expect(() => parseFaults(spec, EMULATED_CMDLETS)).toThrow(why)
    expect(() => parseFaults(spec, EMULATED_CMDLETS)).toThrow(/^lab emulator: CUTOVER_LAB_FAULTS: '/)
  })

  it('makes the emulator refuse to start with a malformed list', async () => {
    const { dir } = await newLab({ messages: 10 })
    expect(() => new LabEmulator(dir, { faults: 'boom' })).toThrow(/CUTOVER_LAB_FAULTS: 'boom' is not a fault spec/)
  })
})

describe('fail:<Cmdlet>@<n>', () => {
  it('fails the n-th invocation only, counting across emulator instances (processes)', async () => {
    const { dir } = await newLab({ messages: 10 })
    const get = cmd('Get-CsUser', { Identity: LAB_NAMES.lookupAccount })
    await new LabEmulator(dir, { faults: 'fail:Get-CsUser@2' }).run(get)
    const second = new LabEmulator(dir, { faults: 'fail:Get-CsUser@2' })
    await expect(second.run(get)).rejects.toThrow(LabCommandError)
    await expect(new LabEmulator(dir, { faults: 'fail:Get-CsUser@2' }).run(get)).resolves.toMatchObject({ data: { Enabled: true } })
    await expect(new LabEmulator(dir, { faults: 'fail:Stop-Service@1' }).run(cmd('Stop-Service', { Name: 'RTCCHAT' }))).rejects.toThrow(
      /^lab emulator: Stop-Service : injected failure \(CUTOVER_LAB_FAULTS fail:Stop-Service@1\)/,
    )
    expect(value(join(dir, LAB_NAMES.targetStoreFile), 'SELECT COUNT(*) FROM tblNode')).toBe(1)
  })
})

describe('verify:missing-room', () => {
  it('makes the import drop one room silently, for verification to catch', async () => {
    const t = await newLab({ messages: 1000, faults: 'verify:missing-room' })
    await t.lab.run(exportCommand('gc.ndjson', { Scope: scopeWithoutArchive(t.info.legacyStore) }))
    const result = await t.lab.run(importCommand('gc.ndjson'))
    const imported = value(t.info.pchatStore, 'SELECT COUNT(*) FROM tblNode WHERE nodeType = 0')
    expect(imported).toBe(Number(result.data?.rooms) - 1)
    expect(result.warnings?.some((w) => /missing|dropped one room/.test(w))).toBe(false)
  })
})

describe('crash:<Cmdlet>@<fraction>', () => {
  it('kills the process by SIGKILL once half the message batches are committed, once per lab', async () => {
    const t = await newLab({ messages: 30_000 })
    await t.lab.run(exportCommand('gc.ndjson', { Scope: scopeWithoutArchive(t.info.legacyStore) }))
    const total = value(t.info.legacyStore, `SELECT COUNT(*) FROM tblChat c JOIN tblNode n ON n.nodeID = c.channelId WHERE n.disabled = 0 AND n.parentID IN (
      SELECT nodeID FROM tblNode WHERE nodeType = 1 AND nodeName <> 'Archive' AND parentID <> (SELECT nodeID FROM tblNode WHERE nodeName = 'Archive')
        AND parentID NOT IN (SELECT nodeID FROM tblNode WHERE parentID = (SELECT nodeID FROM tblNode WHERE nodeName = 'Archive')))`)
    const backup = join(t.dir, 'pchat-before-import.bak')
    const before = await backupStore(t.info.pchatStore, backup)

    const faults = 'crash:Import-CsPersistentChatData@0.5'
    const crashed = await runInChild(t.dir, importCommand('gc.ndjson'), faults)
    expect(crashed.signal).toBe('SIGKILL')
    expect(crashed.stderr).toMatch(/lab emulator: injected crash \(CUTOVER_LAB_FAULTS crash:Import-CsPersistentChatData@0.5\)/)
    // Committed: the metadata and exactly the batches up to half the messages.
    const committed = Math.ceil(total / 2 / IMPORT_BATCH) * IMPORT_BATCH
    expect(value(t.info.pchatStore, 'SELECT COUNT(*) FROM tblChat')).toBe(committed)
    expect(value(t.info.pchatStore, 'SELECT COUNT(*) FROM tblNode WHERE nodeType = 0')).toBeGreaterThan(0)

    // The documented recovery: restore the pre-import backup, import again. The crash fired
    // already, so the same fault list lets the second run through.
    await expect(restoreStore(backup, t.info.pchatStore)).resolves.toEqual(before)
    expect(value(t.info.pchatStore, 'SELECT COUNT(*) FROM tblChat')).toBe(0)
    const again = await runInChild(t.dir, importCommand('gc.ndjson'), faults)
    expect(again).toMatchObject({ code: 0, signal: null })
    expect(JSON.parse(again.stdout)).toMatchObject({ data: { messages: total } })
    expect(value(t.info.pchatStore, 'SELECT COUNT(*) FROM tblChat')).toBe(total)
  })

  it('leaves no export file under its name when the export is killed part-way', async () => {
    const t = await newLab({ messages: 20_000 })
    const crashed = await runInChild(t.dir, exportCommand('exports/gc.ndjson'), 'crash:Export-CsPersistentChatData@0.3')
    expect(crashed.signal).toBe('SIGKILL')
    expect(existsSync(join(t.dir, 'exports/gc.ndjson'))).toBe(false)
    expect(readdirSync(join(t.dir, 'exports'))).toEqual(['gc.ndjson.partial'])
  })
})

describe('backupStore and restoreStore', () => {
  it('round-trips a store, byte for byte', async () => {
    const t = await newLab({ messages: 2000 })
    const backup = join(t.dir, 'legacy.bak')
    const made = await backupStore(t.info.legacyStore, backup)
    expect(made).toEqual({ bytes: expect.any(Number), sha256: sha256(backup) })
    const count = value(t.info.legacyStore, 'SELECT COUNT(*) FROM tblChat')
    await t.lab.run(exportCommand('e.ndjson', { Scope: ['Sales'], DisableExportedNodes: { switch: true } }))
    expect(value(t.info.legacyStore, "SELECT disabled FROM tblNode WHERE nodeName = 'Sales'")).toBe(1)
    const restored = await restoreStore(backup, t.info.legacyStore)
    expect(restored).toEqual(made)
    expect(value(t.info.legacyStore, "SELECT disabled FROM tblNode WHERE nodeName = 'Sales'")).toBe(0)
    expect(value(t.info.legacyStore, 'SELECT COUNT(*) FROM tblChat')).toBe(count)
    await expect(restoreStore(join(t.dir, 'lab.json'), t.info.pchatStore)).rejects.toThrow(/lab emulator: .* is not a backup of a lab store/)
  })
})
