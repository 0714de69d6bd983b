/**
 * Crashes in the middle of the emulated cmdlets' own work (CUTOVER_LAB_FAULTS=crash:<Cmdlet>@0.5):
 * the long steps whose work is in the emulator (the export, the real import, the file store copy).
 * The lab is larger than the matrix's so that the export and the import report progress before
 * they end (every 5,000 messages): ~7,400 messages after the cutoff, so the crash fires after
 * 5,000 of them, really half-way through.
 *
 * An interrupted import must be recovered by restoring the pre-import backup and importing again,
 * never by importing on top of what it left: the control at the end shows what importing twice
 * does (every message twice).
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Command } from '../../runner/core/command.js'
import { LAB_NAMES, LabEmulator } from '../../runner/lab/index.js'
import { checkResumed, crashInCommand, MID_LAB, reference, resumeUntilDone } from '../helpers/crash-matrix.js'
import type { Reference } from '../helpers/crash-matrix.js'
import { apply, countEvents, crashCase, journal, messageCounts, said, storeDigest, treeDigest } from '../helpers/crash.js'
import type { LabCase } from '../helpers/lab.js'

const ref: Reference = reference(MID_LAB)

/** Kills the run with a crash fault and checks it died half-way through the cmdlet's work. */
async function crashHalfWay(c: LabCase, fault: string, step: string): Promise<{ done: number; total: number }> {
  const at = await crashInCommand(c, fault, step)
  expect(at.done, 'killed after some of the work').toBeGreaterThan(0)
  expect(at.done, 'killed before the end of the work').toBeLessThan(at.total)
  return at
}

describe('a crash half-way through an emulated cmdlet, then apply again', () => {
  it('Export-CsPersistentChatData killed half-way: the export runs again from scratch [slow]', async () => {
    const c = await crashCase(MID_LAB)
    const fault = 'crash:Export-CsPersistentChatData@0.5'
    await crashHalfWay(c, fault, 'cutover.export.gc2010')
    const files = treeDigest(c.labDir)
    expect(Object.keys(files), 'only a partial export exists').toContain('export-gc2010.zip.partial')
    expect(Object.keys(files)).not.toContain('export-gc2010.zip')
    const crashEvents = journal(c)
    // Same environment as the killed run, as an admin re-running the command would have.
    const log = await resumeUntilDone(c, { id: 'cutover.export.gc2010', at: 'mid-work' }, { CUTOVER_LAB_FAULTS: fault })
    expect(log.askedToResolve, 'an export is idempotent: no resolve').toEqual([])
    await checkResumed(c, ref, { id: 'cutover.export.gc2010', at: 'mid-work' }, crashEvents)
  })

  it('Copy-Item of the file store killed half-way: the copy runs again [slow]', async () => {
    const c = await crashCase(MID_LAB)
    const fault = 'crash:Copy-Item@0.5'
    const { done, total } = await crashHalfWay(c, fault, 'cutover.filestore.gc2010')
    const copied = Object.keys(treeDigest(join(c.labDir, 'files', 'pchat')))
    expect(copied.length, 'part of the files were copied').toBe(done)
    expect(Object.keys(ref.digest.fileStore).length).toBe(total)
    const crashEvents = journal(c)
    const log = await resumeUntilDone(c, { id: 'cutover.filestore.gc2010', at: 'mid-work' }, { CUTOVER_LAB_FAULTS: fault })
    expect(log.askedToResolve).toEqual([])
    await checkResumed(c, ref, { id: 'cutover.filestore.gc2010', at: 'mid-work' }, crashEvents)
  })

  it('the real Import-CsPersistentChatData killed half-way: the pre-import backup is restored, then it imports once [slow]', async () => {
    const c = await crashCase(MID_LAB)
    // The first Import invocation is the -WhatIf step: get past it without the fault.
    const until = await apply(c, {}, ['--until', 'cutover.import-whatif.gc2010'])
    expect(until.code, said(until)).toBe(3)
    const fault = 'crash:Import-CsPersistentChatData@0.5'
    const { done, total } = await crashHalfWay(c, fault, 'cutover.import.gc2010')
    expect(total).toBe(ref.digest.pchat.totalMessages)
    const partial = messageCounts(join(c.labDir, 'pchat.sqlite'))
    expect(partial.total, 'the killed import left the batches it committed').toBe(done)

    const crashEvents = journal(c)
    const log = await resumeUntilDone(c, { id: 'cutover.import.gc2010', at: 'mid-work' }, { CUTOVER_LAB_FAULTS: fault })
    expect(log.askedToResolve, 'the import recovers by itself: no resolve').toEqual([])
    expect(log.runs).toBe(1)

    const after = journal(c).slice(crashEvents.length)
    const recover = after.findIndex((e) => e.event === 'step-recover' && e.step === 'cutover.import.gc2010')
    const restart = after.findIndex((e) => e.event === 'step-start' && e.step === 'cutover.import.gc2010')
    expect(recover, 'step-recover is journaled for the import').toBeGreaterThanOrEqual(0)
    expect(recover, 'recovered before it imports again').toBeLessThan(restart)
    expect(countEvents(journal(c), 'step-recover', 'cutover.import.gc2010')).toBe(1)
    expect(after[restart]?.detail?.attempt).toBe(2)
    // Exact counts, room by room (checkResumed): importing again on top of the partial import
    // would have left `done` messages too many.
    await checkResumed(c, ref, { id: 'cutover.import.gc2010', at: 'mid-work' }, crashEvents)
    expect(messageCounts(join(c.labDir, 'pchat.sqlite')).total).toBe(ref.digest.pchat.totalMessages)
  })

  it('control: the emulator\'s import run twice on top of itself imports every message twice', async () => {
    const c = await crashCase(MID_LAB)
    // Export done, target stopped and backed up, nothing imported yet.
    const until = await apply(c, {}, ['--until', 'cutover.import-whatif.gc2010'])
    expect(until.code, said(until)).toBe(3)
    const pchat = join(c.labDir, 'pchat.sqlite')
    expect(messageCounts(pchat).total).toBe(0)
    const emulator = new LabEmulator(c.labDir, { faults: '' })
    const importCommand: Command = { cmdlet: 'Import-CsPersistentChatData', params: [['DBInstance', LAB_NAMES.targetInstance], ['FileName', 'export-gc2010.zip']] }

    await emulator.run(importCommand)
    const once = storeDigest(pchat)
    expect(once.totalMessages, 'one import brings every exported message').toBe(ref.digest.pchat.totalMessages)

    await emulator.run(importCommand)
    const twice = storeDigest(pchat)
    expect(twice.totalMessages, 'a second import adds them all again').toBe(2 * once.totalMessages)
    expect(Object.keys(twice.messages).sort()).toEqual(Object.keys(once.messages).sort())
    for (const [room, m] of Object.entries(once.messages)) {
      expect(twice.messages[room]?.count, room).toBe(2 * m.count)
      expect(twice.messages[room]?.messages, `${room}: every message twice, in order`).toEqual([...m.messages, ...m.messages])
    }
    // Rooms and categories are overwritten in place: only the messages betray the double import.
    expect(twice.rooms).toEqual(once.rooms)
    expect(twice.roles).toEqual(once.roles)
  })
})
