import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { run } from '../../runner/cli/commands/lab.js'
import type { Output } from '../../runner/cli/output.js'
import { manualClock } from '../../runner/core/clock.js'
import { LockedError } from '../../runner/state/errors.js'
import { FileStateStore } from '../../runner/state/file-store.js'
import { thisProcessHolder } from '../../runner/state/holder.js'
import { labCase } from '../helpers/lab.js'
import { INSIDE, fakeKind, fakeStep, makeEngine } from '../helpers/engine-fakes.js'
import { MemoryStateStore } from '../../runner/state/memory-store.js'

function recordingOutput(): Output & { lines: string[] } {
  const lines: string[] = []
  return { lines, stdout: (l) => lines.push(l), stderr: (l) => lines.push(l) }
}

/** A plan 'lab' that ran to done beside the lab (its state in .cutover/, as plans/lab.yaml's). */
async function ranBesideLab(dir: string): Promise<FileStateStore> {
  const store = new FileStateStore(join(dir, '.cutover'), 'lab')
  const memory = new MemoryStateStore()
  await makeEngine({ steps: [fakeStep('cutover.a', 'work')], kinds: [fakeKind('work', [])], store: memory, clock: manualClock(INSIDE) }).engine.apply()
  const state = await memory.load()
  if (state === undefined) throw new Error('no state')
  await store.save(state)
  for (const e of await memory.readJournal()) await store.append(e)
  return store
}

describe('lab init and the plans that ran on the lab it replaces', () => {
  it('takes the plan\'s lock and sets its state and journal aside, so the plan starts afresh (not done over an empty store)', async () => {
    const c = await labCase({ rooms: 16, messages: 300 })
    const store = await ranBesideLab(c.dir)
    expect((await store.load())?.steps['cutover.a']?.status).toBe('done')
    const out = recordingOutput()
    await expect(run(['init', '--dir', c.labDir, '--rooms', '16', '--messages', '300', '--yes'], out)).resolves.toBe(0)
    expect(await store.load()).toBeUndefined()
    expect(existsSync(store.paths.journal)).toBe(false)
    expect(existsSync(store.paths.lock)).toBe(false)
    const aside = readdirSync(join(c.dir, '.cutover')).find((f) => f.startsWith('lab.before-lab-init-'))
    expect(aside).toBeDefined()
    expect(JSON.parse(readFileSync(join(c.dir, '.cutover', aside ?? '', 'lab.state.json'), 'utf8'))).toMatchObject({ steps: { 'cutover.a': { status: 'done' } } })
    expect(out.lines.some((l) => l.includes(`the state and journal of plan 'lab' (run on the replaced lab) were moved to`))).toBe(true)
  })

  it('refuses (LockedError, exit 4) while an apply holds the plan\'s lock, and changes nothing', async () => {
    const c = await labCase({ rooms: 16, messages: 300 })
    const store = await ranBesideLab(c.dir)
    const world = readFileSync(join(c.labDir, 'lab.json'), 'utf8')
    const lock = await store.acquireLock(thisProcessHolder('cutover apply plan.yaml --yes'))
    try {
      await expect(run(['init', '--dir', c.labDir, '--rooms', '16', '--messages', '300', '--yes'], recordingOutput())).rejects.toBeInstanceOf(LockedError)
    } finally {
      await lock.release()
    }
    expect((await store.load())?.steps['cutover.a']?.status).toBe('done')
    expect(readFileSync(join(c.labDir, 'lab.json'), 'utf8')).toBe(world)
  })

  it('leaves alone the plans of another lab (lab init --dir plans/.cutover/fresh-lab beside plans/.cutover/lab)', async () => {
    const c = await labCase({ rooms: 16, messages: 300 })
    const store = await ranBesideLab(c.dir)
    await expect(run(['init', '--dir', join(c.dir, '.cutover', 'fresh-lab'), '--rooms', '16', '--messages', '300', '--yes'], recordingOutput())).resolves.toBe(0)
    expect((await store.load())?.steps['cutover.a']?.status).toBe('done')
  })
})
