/** The state file on disk: atomic replacement, its backup, layout, and refusing damaged content. */
import { execFileSync } from 'node:child_process'
import { mkdir, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { StateCorruptError } from '../../runner/state/errors.js'
import { FileStateStore } from '../../runner/state/file-store.js'
import { entry, holder, sampleState, tempDir } from './fixtures.js'
import { churnChild, deadPid } from './processes.js'

async function fresh(): Promise<FileStateStore> {
  return new FileStateStore(join(await tempDir(), '.cutover'), 'contoso')
}

async function corruptError(store: FileStateStore): Promise<StateCorruptError> {
  const error = await store.load().then(() => undefined, (e: unknown) => e)
  expect(error).toBeInstanceOf(StateCorruptError)
  const corrupt = error as StateCorruptError
  expect(corrupt.message).toContain(store.paths.state)
  expect(corrupt.file).toBe(store.paths.state)
  return corrupt
}

describe('FileStateStore files', () => {
  it('lays out state, backup, journal, lock and artifacts under one folder git ignores', async () => {
    const root = await tempDir()
    execFileSync('git', ['init', '--quiet', root])
    const dir = join(root, '.cutover')
    const store = new FileStateStore(dir, 'contoso')
    expect(store.artifactsDir()).toBe(join(dir, 'contoso'))
    const lock = await store.acquireLock(holder())
    await store.save(sampleState())
    await store.save(sampleState({ updatedAt: '2026-12-05T23:00:00.000Z' }))
    await store.append(entry(1))
    await mkdir(store.artifactsDir(), { recursive: true })
    await writeFile(join(store.artifactsDir(), 'export.ps1'), '# script\n')
    expect((await readdir(dir)).sort()).toEqual([
      '.gitignore',
      'contoso',
      'contoso.journal.jsonl',
      'contoso.lock',
      'contoso.state.json',
      'contoso.state.json.bak',
    ])
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toMatch(/^\*$/m)
    const untracked = execFileSync('git', ['-C', root, 'status', '--porcelain', '--untracked-files=all'], { encoding: 'utf8' })
    expect(untracked).toBe('')
    await lock.release()
    expect(await readdir(dir)).not.toContain('contoso.lock')
  })

  it('creates the folder on the first journal line too, and leaves an existing .gitignore alone', async () => {
    const dir = join(await tempDir(), '.cutover')
    await new FileStateStore(dir, 'a').append(entry(1))
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toContain('*')
    await writeFile(join(dir, '.gitignore'), '# mine\n*.lock\n')
    await new FileStateStore(dir, 'b').save(sampleState())
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toBe('# mine\n*.lock\n')
  })

  it('touches nothing until used, and refuses a name that is not a plan name', async () => {
    const root = await tempDir()
    const store = new FileStateStore(join(root, '.cutover'), 'contoso')
    expect(await store.load()).toBeUndefined()
    expect(await store.readJournal()).toEqual([])
    expect(await readdir(root)).toEqual([])
    expect(() => new FileStateStore(root, '../escape')).toThrow(/cannot name state files/)
    expect(() => new FileStateStore(root, 'Upper')).toThrow(/cannot name state files/)
  })

  it('keeps the state before the latest save as .bak', async () => {
    const store = await fresh()
    const at = (time: string) => sampleState({ updatedAt: `2026-12-05T${time}:00.000Z` })
    const a = at('22:01')
    const b = at('22:02')
    const c = at('22:03')
    await store.save(a)
    await expect(stat(store.paths.backup)).rejects.toThrow(/ENOENT/)
    await store.save(b)
    expect(JSON.parse(await readFile(store.paths.backup, 'utf8'))).toEqual(a)
    await store.save(c)
    expect(JSON.parse(await readFile(store.paths.backup, 'utf8'))).toEqual(b)
    expect(await store.load()).toEqual(c)
    expect((await readdir(store.paths.dir)).filter((f) => f.includes('.tmp-'))).toEqual([])
  })

  it('does not replace a good .bak with a damaged state file', async () => {
    const store = await fresh()
    const good = sampleState()
    await store.save(good)
    await store.save(sampleState({ updatedAt: '2026-12-05T23:00:00.000Z' }))
    await writeFile(store.paths.state, '{"formatVersion":1,')
    await store.save(sampleState({ updatedAt: '2026-12-06T00:00:00.000Z' }))
    expect(JSON.parse(await readFile(store.paths.backup, 'utf8'))).toEqual(good)
  })

  it('ignores what a crash before the rename leaves (a half-written temp, a backup equal to the state)', async () => {
    const store = await fresh()
    const old = sampleState()
    await store.save(old)
    // Crashed while writing the temp file, and again after linking the backup but before the
    // rename: the state is the old one, the backup the same, the temps are garbage.
    await writeFile(`${store.paths.state}.tmp-${process.pid}-0badcafe`, '{"formatVersion":1,"plan":{"na')
    const gone = await deadPid()
    const stray = `${store.paths.state}.tmp-${gone}-deadbeef`
    await writeFile(stray, JSON.stringify(sampleState({ updatedAt: '2027-01-01T00:00:00.000Z' })))
    await writeFile(store.paths.backup, JSON.stringify(old))
    expect(await store.load()).toEqual(old)
    // The next run tidies what the dead writer left, not what a live one (here: us) is writing.
    const lock = await store.acquireLock(holder())
    const left = await readdir(store.paths.dir)
    expect(left).not.toContain(`contoso.state.json.tmp-${gone}-deadbeef`)
    expect(left).toContain(`contoso.state.json.tmp-${process.pid}-0badcafe`)
    await store.save(sampleState({ updatedAt: '2026-12-06T01:00:00.000Z' }))
    expect((await store.load())?.updatedAt).toBe('2026-12-06T01:00:00.000Z')
    await lock.release()
  })

  it('never shows a reader anything but a whole state while saves run', async () => {
    const store = await fresh()
    const reader = new FileStateStore(store.paths.dir, 'contoso')
    await store.save(sampleState())
    const saves = Array.from({ length: 30 }, (_, n) => store.save(sampleState({ updatedAt: new Date(Date.UTC(2026, 11, 5, 22, n)).toISOString() })))
    const loads = Array.from({ length: 60 }, () => reader.load())
    const states = await Promise.all(loads)
    await Promise.all(saves)
    for (const state of states) expect(state?.formatVersion).toBe(1)
    expect((await reader.load())?.updatedAt).toBe('2026-12-05T22:29:00.000Z')
  })
})

describe('FileStateStore killed mid-write', () => {
  it('leaves a whole state and a readable journal wherever a SIGKILL lands', async () => {
    for (const delay of [0, 7, 23]) {
      const store = await fresh()
      const child = await churnChild(store.paths.dir, 'contoso')
      await child.result
      await new Promise((resolve) => setTimeout(resolve, delay))
      child.process.kill('SIGKILL')
      await child.exited
      const state = await store.load()
      expect(state?.steps.s?.status).toBe('running')
      const journal = await store.readJournal()
      expect(journal.length).toBeGreaterThan(5)
      // The next run carries on appending and saving over whatever the kill left.
      await store.append(entry(1))
      await store.save(sampleState())
      expect((await store.readJournal()).at(-1)).toEqual(entry(1))
      expect(await store.load()).toEqual(sampleState())
    }
  })
})

describe('FileStateStore refuses a damaged state instead of starting over', () => {
  it('invalid JSON', async () => {
    const store = await fresh()
    await store.save(sampleState())
    await writeFile(store.paths.state, '{ "formatVersion": 1, oops }\n')
    const error = await corruptError(store)
    expect(error.problem).toMatch(/is not valid JSON/)
    expect(error.message).toContain('cutover will not start the migration over from zero')
  })

  it('a file cut short, pointing at the backup', async () => {
    const store = await fresh()
    await store.save(sampleState())
    await store.save(sampleState({ updatedAt: '2026-12-05T23:00:00.000Z' }))
    const text = await readFile(store.paths.state, 'utf8')
    await writeFile(store.paths.state, text.slice(0, Math.floor(text.length / 2)))
    const error = await corruptError(store)
    expect(error.problem).toMatch(/truncated/)
    expect(error.message).toContain(store.paths.backup)
    expect(error.message).toContain(store.paths.journal)
  })

  it('an empty file, and one zero-filled by a power cut', async () => {
    const store = await fresh()
    await store.save(sampleState())
    await writeFile(store.paths.state, '')
    expect((await corruptError(store)).problem).toMatch(/empty/)
    await writeFile(store.paths.state, Buffer.alloc(64))
    expect((await corruptError(store)).problem).toMatch(/NUL bytes/)
  })

  it('another format version, telling which', async () => {
    const store = await fresh()
    await store.save(sampleState())
    await writeFile(store.paths.state, JSON.stringify({ ...sampleState(), formatVersion: 2 }))
    const error = await corruptError(store)
    expect(error.problem).toBe('has state format 2, and this cutover reads format 1 only')
  })

  it('missing or wrong fields, each named', async () => {
    const store = await fresh()
    await store.save(sampleState())
    await writeFile(store.paths.state, JSON.stringify({ ...sampleState(), steps: undefined }))
    expect((await corruptError(store)).problem).toMatch(/steps must be an object keyed by step id \(is missing\)/)
    const bad = sampleState()
    const step = { ...bad.steps['cutover.export.gc2010'], status: 'finished', attempts: -1 }
    await writeFile(store.paths.state, JSON.stringify({ ...bad, steps: { ...bad.steps, 'cutover.export.gc2010': step }, plan: { name: 'x' } }))
    const error = await corruptError(store)
    expect(error.problem).toContain('plan.hash must be a string (is missing)')
    expect(error.problem).toContain('steps["cutover.export.gc2010"].status must be one of pending, running, done, failed, awaiting-approval (is "finished")')
    expect(error.problem).toContain('steps["cutover.export.gc2010"].attempts must be a whole number >= 0 (is -1)')
    await writeFile(store.paths.state, '[]')
    expect((await corruptError(store)).problem).toMatch(/top level must be an object \(is an array\)/)
  })

  it('a state file that vanished although a backup shows the plan ran', async () => {
    const store = await fresh()
    await store.save(sampleState())
    await store.save(sampleState())
    await unlink(store.paths.state)
    const error = await corruptError(store)
    expect(error.problem).toMatch(/is missing, although a backup/)
  })

  it('says so when there is no backup to restore', async () => {
    const store = await fresh()
    await store.save(sampleState())
    await writeFile(store.paths.state, '{')
    expect((await corruptError(store)).message).toMatch(/Run `cutover repair` on the plan to rebuild the state from the journal .*journal.jsonl, which records every step\. cutover will not start/)
  })
})
