/** The journal on disk: a last line torn by a crash is survivable, damage before it is not. */
import { appendFile, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { StateCorruptError } from '../../runner/state/errors.js'
import { FileStateStore } from '../../runner/state/file-store.js'
import { entry, tempDir } from './fixtures.js'

async function withTwoEntries(): Promise<FileStateStore> {
  const store = new FileStateStore(join(await tempDir(), '.cutover'), 'contoso')
  await store.append(entry(1))
  await store.append(entry(2))
  return store
}

describe('FileStateStore journal', () => {
  it('is one JSON object per line', async () => {
    const store = await withTwoEntries()
    const lines = (await readFile(store.paths.journal, 'utf8')).split('\n')
    expect(lines).toHaveLength(3)
    expect(lines[2]).toBe('')
    expect(JSON.parse(lines[0] ?? '')).toEqual(entry(1))
  })

  it('leaves out a last line a crash cut short, and says so', async () => {
    const store = await withTwoEntries()
    await appendFile(store.paths.journal, JSON.stringify(entry(3)).slice(0, 25))
    expect((await store.readJournal()).map((e) => e.event)).toEqual(['event-1', 'event-2'])
    expect(store.journalTornTail).toBe(true)
  })

  it('cuts the torn line off at the next append and records that it did', async () => {
    const store = await withTwoEntries()
    const torn = JSON.stringify(entry(3)).slice(0, 25)
    await appendFile(store.paths.journal, torn)
    await store.append(entry(4))
    const journal = await store.readJournal()
    expect(store.journalTornTail).toBe(false)
    expect(journal.map((e) => e.event)).toEqual(['event-1', 'event-2', 'journal-repaired', 'event-4'])
    expect(journal[2]).toMatchObject({ outcome: 'dropped-torn-line', detail: { bytes: 25, fragment: torn }, at: entry(4).at })
    // And later appends keep it readable.
    await store.append(entry(5))
    expect(await store.readJournal()).toHaveLength(5)
  })

  it('leaves out a tail zero-filled by a power cut', async () => {
    const store = await withTwoEntries()
    await appendFile(store.paths.journal, Buffer.alloc(40))
    expect(await store.readJournal()).toHaveLength(2)
    expect(store.journalTornTail).toBe(true)
    await store.append(entry(3))
    expect((await store.readJournal()).map((e) => e.event)).toEqual(['event-1', 'event-2', 'journal-repaired', 'event-3'])
  })

  it('keeps a complete last entry whose newline was lost, and ends it before the next', async () => {
    const store = await withTwoEntries()
    await appendFile(store.paths.journal, JSON.stringify(entry(3)))
    expect(await store.readJournal()).toHaveLength(3)
    expect(store.journalTornTail).toBe(false)
    await store.append(entry(4))
    expect((await store.readJournal()).map((e) => e.event)).toEqual(['event-1', 'event-2', 'event-3', 'event-4'])
  })

  it('throws StateCorruptError naming the file and line for a bad line before the last', async () => {
    const store = await withTwoEntries()
    const text = await readFile(store.paths.journal, 'utf8')
    await writeFile(store.paths.journal, text.replace('\n', '\n{"at":"2026-12-05T22:00:0\n'))
    const error = await store.readJournal().then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(StateCorruptError)
    expect((error as Error).message).toContain(store.paths.journal)
    expect((error as Error).message).toContain('line 2 is not valid JSON')
    expect((error as Error).message).toContain('fix or delete that line by hand')
  })

  it('throws for a line that is JSON but not a journal entry', async () => {
    const store = await withTwoEntries()
    const text = await readFile(store.paths.journal, 'utf8')
    await writeFile(store.paths.journal, '{"event":"x"}\n' + text)
    await expect(store.readJournal()).rejects.toThrow(/line 1 is not a journal entry: at must be an ISO 8601 date-time \(is missing\)/)
  })
})
