/**
 * The export's file (issue 11 item 10): cutover does not assume Export-CsPersistentChatData
 * overwrites an existing file. The lab refuses to (the reading that would hurt most); the step
 * removes an earlier attempt's file and report first, so a re-run after a crash exports afresh.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compile } from '../../runner/compile/compile.js'
import type { Step } from '../../runner/core/step.js'
import { platformOf } from '../../runner/runtimes/index.js'
import { LabHost } from '../../runner/runtimes/lab/host.js'
import { exportKind, removeEarlier } from '../../runner/steps/kinds/export.js'
import type { ExportInput } from '../../runner/steps/kinds/export.js'
import { labPlan } from '../helpers/engine-fakes.js'
import { cmd, newLab } from '../lab/fixture.js'
import { stepContext } from './run-context.js'

const lab = labPlan()
// No category left out: the export needs no frozen inventory for its -Scope.
const plan = { ...lab, rooms: { ...lab.rooms, categories: [] } }
const step = compile(plan, platformOf(plan)).find((s) => s.kind === 'export') as Step<'export', ExportInput>

describe('export: an earlier file is removed, not assumed overwritten', () => {
  it('names the file as a one-character wildcard set, escaping the rest of the path', () => {
    expect(removeEarlier('D:\\cut[over]\\export-gc.zip')).toEqual({ cmdlet: 'Remove-Item', params: [['Path', 'D:\\cut`[over`]\\export-gc.zi[p]'], ['Force', { switch: true }]] })
  })

  it('the lab: Remove-Item of such a pattern is no error when nothing matches, and removes the file when present', async () => {
    const { lab: emulator, dir } = await newLab({ rooms: 15, messages: 50 })
    const file = join(dir, 'x.zip')
    await expect(emulator.run(cmd('Remove-Item', { Path: `${file.slice(0, -1)}[p]`, Force: { switch: true } }))).resolves.toEqual({ output: [] })
    writeFileSync(file, 'old')
    await emulator.run(cmd('Remove-Item', { Path: `${file.slice(0, -1)}[p]`, Force: { switch: true } }))
    expect(existsSync(file)).toBe(false)
    await expect(emulator.run(cmd('Remove-Item', { Path: file }))).rejects.toThrow(/does not exist/)
  })

  it('runs again over the file of a first attempt (a crash after the export, before the state said done)', async () => {
    const { lab: emulator, dir } = await newLab({ rooms: 15, messages: 200 })
    const planDir = join(dir, '..')
    const ctx = stepContext(new LabHost(emulator, planDir))
    const first = await exportKind.run(step, ctx)
    const second = await exportKind.run(step, ctx)
    expect(second.outputs).toMatchObject({ file: step.input.file })
    expect(first.outputs?.messages).toBeGreaterThan(0)
    expect(second.outputs).toMatchObject({ messages: first.outputs?.messages, sha256: first.outputs?.sha256 })
  })
})
