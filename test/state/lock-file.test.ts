/** The file lock against real processes: live holders, dead ones, other hosts, and races. */
import { createHash } from 'node:crypto'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LockedError, StateCorruptError } from '../../runner/state/errors.js'
import { FileStateStore } from '../../runner/state/file-store.js'
import type { LockHolder } from '../../runner/state/types.js'
import { holder, tempDir } from './fixtures.js'
import { deadPid, lockChild } from './processes.js'

const NAME = 'contoso'

async function fresh(): Promise<FileStateStore> {
  return new FileStateStore(join(await tempDir(), '.cutover'), NAME)
}

async function writeLock(store: FileStateStore, who: LockHolder): Promise<string> {
  const raw = JSON.stringify(who)
  await writeFile(store.paths.lock, raw)
  return raw
}

function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a refusal'),
    (error: unknown) => error,
  )
}

describe('FileStateStore lock', () => {
  it('takes over a lock left by a process that is gone', async () => {
    const store = await fresh()
    const pid = await deadPid()
    await store.acquireLock(holder()).then((l) => l.release()) // creates the folder
    await writeLock(store, { ...holder('cutover apply (crashed)'), pid })
    expect(await store.inspectLock()).toMatchObject({ alive: false, sameHost: true, holder: { pid } })
    const lock = await store.acquireLock(holder())
    expect(lock.tookOverStale).toMatchObject({ pid, command: 'cutover apply (crashed)' })
    expect(JSON.parse(await readFile(store.paths.lock, 'utf8'))).toMatchObject({ pid: process.pid })
    await lock.release()
  })

  it('refuses while a live child process holds it, naming its pid and host; takes it once the child is killed', async () => {
    const store = await fresh()
    const child = await lockChild(store.paths.dir, NAME)
    expect(await child.result).toEqual({ won: true, stale: null })

    const error = await refusal(store.acquireLock(holder()))
    expect(error).toBeInstanceOf(LockedError)
    expect((error as LockedError).holder.pid).toBe(child.pid)
    expect((error as Error).message).toContain(`pid ${child.pid} on host ${hostname()}`)
    expect((error as Error).message).toMatch(/wait for it to finish, or if that process is gone, run `cutover unlock`/)
    expect(await store.inspectLock()).toMatchObject({ alive: true, sameHost: true, holder: { pid: child.pid, user: 'child' } })
    await expect(store.breakLock({ force: false })).rejects.toThrow(/not unlocking: the lock holder is still running/)
    await expect(store.breakLock({ force: true })).rejects.toThrow(LockedError)

    child.process.kill('SIGKILL')
    await child.exited
    expect((await store.inspectLock())?.alive).toBe(false)
    const lock = await store.acquireLock(holder())
    expect(lock.tookOverStale?.pid).toBe(child.pid)
    await lock.release()
  })

  it('is released by a child that finishes', async () => {
    const store = await fresh()
    const child = await lockChild(store.paths.dir, NAME)
    expect((await child.result).won).toBe(true)
    child.process.stdin?.end()
    await child.exited
    expect(await store.inspectLock()).toBeUndefined()
  })

  it('treats a lock from another host as held; only force breaks it', async () => {
    const store = await fresh()
    await store.acquireLock(holder()).then((l) => l.release())
    const remote = { ...holder('cutover apply on the jump box'), host: 'jumpbox.contoso.com', pid: 4242 }
    await writeLock(store, remote)
    const error = await refusal(store.acquireLock(holder()))
    expect(error).toBeInstanceOf(LockedError)
    expect((error as Error).message).toContain('pid 4242 on host jumpbox.contoso.com')
    expect((error as Error).message).toContain('cutover unlock --force')
    expect(await store.inspectLock()).toEqual({ holder: remote, alive: true, sameHost: false })
    await expect(store.breakLock({ force: false })).rejects.toThrow(/cannot check from here/)
    expect(await store.breakLock({ force: true })).toEqual(remote)
    expect(await store.inspectLock()).toBeUndefined()
  })

  it('refuses an unreadable lock file, naming it, until unlocked with force', async () => {
    const store = await fresh()
    await store.acquireLock(holder()).then((l) => l.release())
    await writeFile(store.paths.lock, '{"host": "pc01", "pid"')
    const error = await refusal(store.acquireLock(holder()))
    expect(error).toBeInstanceOf(StateCorruptError)
    expect((error as Error).message).toContain(store.paths.lock)
    await expect(store.inspectLock()).rejects.toThrow(StateCorruptError)
    await expect(store.breakLock({ force: false })).rejects.toThrow(/cutover unlock --force/)
    expect(await store.breakLock({ force: true })).toBeUndefined()
    await (await store.acquireLock(holder())).release()
  })

  it('lets exactly one of two child processes win a race for a free lock', async () => {
    const store = await fresh()
    const startAt = Date.now() + 500
    const children = await Promise.all([lockChild(store.paths.dir, NAME, startAt), lockChild(store.paths.dir, NAME, startAt)])
    const results = await Promise.all(children.map((c) => c.result))
    expect(results.filter((r) => r.won)).toHaveLength(1)
    expect(results.find((r) => !r.won)?.error).toBe('LockedError')
    const winner = children[results.findIndex((r) => r.won)]
    expect((await store.inspectLock())?.holder.pid).toBe(winner?.pid)
  })

  it('lets exactly one of several processes and in-process callers take over the same stale lock', async () => {
    const store = await fresh()
    await store.acquireLock(holder()).then((l) => l.release())
    const pid = await deadPid()
    await writeLock(store, { ...holder('cutover apply (crashed)'), pid })
    const startAt = Date.now() + 500
    const children = await Promise.all([lockChild(store.paths.dir, NAME, startAt), lockChild(store.paths.dir, NAME, startAt)])
    await new Promise((resolve) => setTimeout(resolve, startAt - Date.now()))
    const local = await Promise.allSettled([1, 2, 3].map(() => new FileStateStore(store.paths.dir, NAME).acquireLock(holder())))
    const remote = await Promise.all(children.map((c) => c.result))
    const winners = local.filter((r) => r.status === 'fulfilled').length + remote.filter((r) => r.won).length
    expect(winners).toBe(1)
    for (const r of local) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(LockedError)
    for (const r of remote) if (!r.won) expect(r.error).toBe('LockedError')
    // Every winner saw the same dead holder; nobody took over from another winner.
    for (const r of local) if (r.status === 'fulfilled') expect(r.value.tookOverStale?.pid).toBe(pid)
    for (const r of remote) if (r.won) expect(r.stale).toBe(pid)
    expect((await readdir(store.paths.dir)).filter((f) => f.includes('.swap-'))).toEqual([])
  })

  it('keeps exactly one winner over many rounds of in-process takeover races', async () => {
    // Interleaving at every await is where a bare "rename over, then re-read" lets two win.
    const store = await fresh()
    await store.acquireLock(holder()).then((l) => l.release())
    const pid = await deadPid()
    for (let round = 0; round < 25; round++) {
      await writeLock(store, { ...holder(`crashed run ${round}`), pid })
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => new FileStateStore(store.paths.dir, NAME).acquireLock(holder())))
      const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
      expect(won, `round ${round}`).toHaveLength(1)
      await won[0]?.release()
    }
  })

  it('is not blocked forever by a takeover marker left by a process that died mid-takeover', async () => {
    const store = await fresh()
    await store.acquireLock(holder()).then((l) => l.release())
    const raw = await writeLock(store, { ...holder('cutover apply (crashed)'), pid: await deadPid() })
    const marker = `${store.paths.lock}.swap-${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`
    await writeFile(marker, JSON.stringify({ ...holder('lock swap'), pid: await deadPid() }))
    const lock = await store.acquireLock(holder())
    expect(lock.tookOverStale?.command).toBe('cutover apply (crashed)')
    await lock.release()
  })
})
