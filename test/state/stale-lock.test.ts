import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { manualClock } from '../../runner/core/clock.js'
import { LockedError } from '../../runner/state/errors.js'
import { thisProcessHolder } from '../../runner/state/holder.js'
import { holderLiveness, pidTakenByOther, processIdentity } from '../../runner/state/liveness.js'
import { LockFile } from '../../runner/state/lock-file.js'
import { MemoryStateStore } from '../../runner/state/memory-store.js'
import type { LockHolder } from '../../runner/state/types.js'
import { INSIDE, fakeKind, fakeStep, makeEngine } from '../helpers/engine-fakes.js'

const linux = process.platform === 'linux'
const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
})

/** A live process that is no cutover: what a reused pid belongs to after a reboot. */
function otherProgram(): number {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' })
  children.push(child)
  if (child.pid === undefined) throw new Error('could not start sleep')
  return child.pid
}

function lockAt(holder: LockHolder): LockFile {
  const path = join(mkdtempSync(join(tmpdir(), 'cutover-stale-')), 'plan.lock')
  writeFileSync(path, JSON.stringify({ ...holder, token: 'written-by-the-test' }))
  return new LockFile(path)
}

const holderOf = (pid: number, more: Partial<LockHolder> = {}): LockHolder => ({ host: hostname(), pid, startedAt: '2026-12-01T00:00:00.000Z', user: 'alice', command: 'cutover apply plan.yaml --yes', ...more })

describe.runIf(linux)('a lock holder is identified by more than its pid (Linux: /proc)', () => {
  it('records its process start and command line, and they are stable', () => {
    const me = thisProcessHolder('cutover apply plan.yaml')
    expect(me.processStart).toMatch(/^[0-9a-f-]{36}:\d+$/)
    expect(me.commandLine).toContain(process.execPath)
    expect(processIdentity(process.pid).start).toBe(me.processStart)
    expect(holderLiveness(me)).toBe('alive')
  })

  it('a pid now used by a process that started at another time is a dead holder: apply takes the lock over', async () => {
    const pid = otherProgram()
    const lock = lockAt(holderOf(pid, { processStart: 'another-boot:12345', commandLine: 'node bin/cutover.js apply plan.yaml --yes' }))
    expect(holderLiveness(holderOf(pid, { processStart: 'another-boot:12345' }))).toBe('dead')
    const taken = await lock.acquire(thisProcessHolder('cutover apply plan.yaml'))
    expect(taken.tookOverStale).toMatchObject({ pid, processStart: 'another-boot:12345' })
    await taken.release()
  })

  it('a pid that runs another program than the recorded one: apply refuses naming the file; unlock refuses, unlock --force clears it', async () => {
    const pid = otherProgram()
    const holder = holderOf(pid, { commandLine: 'node /opt/cutover/bin/cutover.js apply plan.yaml --yes' })
    const lock = lockAt(holder)
    expect(pidTakenByOther(holder)).toBe('sleep 60')
    const refused = await lock.acquire(thisProcessHolder('cutover apply plan.yaml')).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(LockedError)
    expect((refused as Error).message).toContain(`deleting ${lock.path} clears the lock`)
    await expect(lock.break(false)).rejects.toThrow(/cutover unlock --force` clears the lock/)
    await expect(lock.break(true)).resolves.toMatchObject({ pid })
    await expect(lock.inspect()).resolves.toBeUndefined()
  })

  it('a lock that recorded no command line (an older cutover), or whose pid runs the recorded one: --force refuses', async () => {
    const pid = otherProgram()
    await expect(lockAt(holderOf(pid)).break(true)).rejects.toBeInstanceOf(LockedError)
    const me = thisProcessHolder('cutover apply plan.yaml')
    const mine = lockAt(me)
    await expect(mine.break(true)).rejects.toBeInstanceOf(LockedError)
    expect(JSON.parse(readFileSync(mine.path, 'utf8'))).toMatchObject({ pid: process.pid })
  })
})

describe('a stale-lock takeover is told to the listener (the CLI shows it), not only journaled', () => {
  it('emits lock-taken-over naming the stale holder', async () => {
    const store = new MemoryStateStore()
    await store.acquireLock(thisProcessHolder('cutover apply dead.yaml'))
    store.abandonLock()
    const { engine, events } = makeEngine({ steps: [fakeStep('cutover.a', 'work')], kinds: [fakeKind('work', [])], store, clock: manualClock(INSIDE) })
    await engine.apply()
    expect(events[0]).toMatchObject({ type: 'lock-taken-over', message: expect.stringMatching(new RegExp(`^took over the lock left by pid ${process.pid} on .*cutover apply dead\\.yaml.*that process is gone`)) })
  })
})
