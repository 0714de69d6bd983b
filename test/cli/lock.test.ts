import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { afterEach, describe, expect, it } from 'vitest'
import { BIN } from '../helpers/cli.js'
import { cutover, filesOf, lines, newCase, readJournal, readState, snapshot, statusJson } from '../helpers/case-files.js'
import { holdLock } from '../helpers/lock-holder.js'
import type { LockHolderProcess } from '../helpers/lock-holder.js'

const holders: LockHolderProcess[] = []
const children: ChildProcess[] = []
afterEach(async () => {
  // A failed assertion must not leave a process holding a lock.
  for (const h of holders.splice(0)) await h.kill()
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await once(child, 'exit')
    }
  }
})

async function hold(dir: string, command?: string): Promise<LockHolderProcess> {
  const h = await holdLock(dir, 'lab', command)
  holders.push(h)
  return h
}

describe('one apply per plan at a time (child processes)', () => {
  it('while a live process holds the lock: apply exits 4 with one line naming the holder and changes nothing', async () => {
    const c = await newCase()
    expect((await cutover(c, ['apply', 'plan.yaml', '--yes', '--quiet', '--until', 'preflight.target'])).code).toBe(3)
    const holder = await hold(filesOf(c).dir, 'cutover apply plan.yaml --yes (the other admin)')
    const before = snapshot(c)
    expect(before.lock).toBeDefined()

    const r = await cutover(c, ['apply', 'plan.yaml', '--yes'])
    expect(r.code).toBe(4)
    const err = lines(r.stderr)
    expect(err).toHaveLength(1)
    expect(err[0]).toMatch(new RegExp(`^cutover: error: locked by a cutover that is still running, pid ${holder.pid} on host ${hostname()} since \\S+ \\(user holder: cutover apply plan\\.yaml --yes \\(the other admin\\)\\)`))
    expect(snapshot(c)).toEqual(before)

    // The other commands that change the state wait their turn too.
    const rollback = await cutover(c, ['rollback', 'plan.yaml', '--yes'])
    expect(rollback.code).toBe(4)
    expect(lines(rollback.stderr)).toEqual([expect.stringContaining(`pid ${holder.pid}`)])
    const resolve = await cutover(c, ['resolve', 'plan.yaml', 'preflight.target', '--retry'])
    expect(resolve.code).toBe(4)
    expect(snapshot(c)).toEqual(before)

    // status shows who holds it; unlock refuses while the holder lives.
    expect((await statusJson(c)).lock).toMatchObject({ pid: holder.pid, alive: true })
    const unlock = await cutover(c, ['unlock', 'plan.yaml'])
    expect(unlock.code).toBe(4)
    expect(lines(unlock.stderr)).toEqual([expect.stringMatching(new RegExp(`^cutover: error: not unlocking: the lock holder is still running, pid ${holder.pid} `))])
    expect(snapshot(c)).toEqual(before)

    await holder.release()
    expect(existsSync(filesOf(c).lock)).toBe(false)
    expect((await cutover(c, ['apply', 'plan.yaml', '--yes', '--quiet', '--until', 'prepare.workdir'])).code).toBe(3)
  })

  it('a real apply waiting for the window holds the lock: a second apply exits 4 naming it, and changes nothing', async () => {
    const c = await newCase()
    // The first apply runs preflight, then waits (--wait) a minute for the window, lock held.
    const first = spawn(process.execPath, [BIN, 'apply', 'plan.yaml', '--yes', '--json', '--wait', '--until', 'cutover.stop-legacy.gc2010'], {
      cwd: c.dir, env: { ...process.env, NO_COLOR: '1', CUTOVER_CLOCK: '2026-12-06T02:59:00Z', CUTOVER_LAB_FAULTS: '' }, stdio: ['ignore', 'pipe', 'inherit'],
    })
    children.push(first)
    let out = ''
    first.stdout.setEncoding('utf8')
    await new Promise<void>((resolve, reject) => {
      first.stdout.on('data', (d: string) => {
        out += d
        if (out.includes('"waiting ')) resolve()
      })
      first.once('exit', () => reject(new Error(`the first apply ended early: ${out}`)))
    })
    const before = snapshot(c)
    const second = await cutover(c, ['apply', 'plan.yaml', '--yes', '--quiet'], { CUTOVER_CLOCK: '2026-12-06T04:00:00Z' })
    expect(second.code).toBe(4)
    expect(lines(second.stderr)).toEqual([expect.stringMatching(new RegExp(`^cutover: error: locked by a cutover that is still running, pid ${String(first.pid)} on host ${hostname()} since \\S+ \\(user \\S+: cutover apply plan\\.yaml --yes --json --wait --until cutover\\.stop-legacy\\.gc2010\\)`))])
    expect(snapshot(c)).toEqual(before)
    expect(readState(c).steps['cutover.stop-legacy.gc2010']).toBeUndefined()
    expect(new Set(readJournal(c).map((e) => e.pid))).toEqual(new Set([first.pid]))
  })

  it('a stale lock left by a killed process is taken over by apply, and journaled', async () => {
    const c = await newCase()
    const holder = await hold(filesOf(c).dir)
    await holder.kill()
    expect(existsSync(filesOf(c).lock)).toBe(true)
    expect((await statusJson(c)).lock).toMatchObject({ pid: holder.pid, alive: false })

    const r = await cutover(c, ['apply', 'plan.yaml', '--yes', '--quiet', '--until', 'prepare.workdir'])
    // Said on the terminal, not only journaled.
    expect(lines(r.stderr)).toEqual([expect.stringMatching(new RegExp(`^cutover: took over the lock left by pid ${holder.pid} on ${hostname()} since \\S+ \\(cutover apply .*\\): that process is gone \\(journaled\\)$`))])
    expect(r.code).toBe(3)
    const journal = readJournal(c)
    expect(journal[0]).toMatchObject({ event: 'lock-taken-over', detail: { staleHost: hostname(), stalePid: holder.pid } })
    expect(journal[1]?.event).toBe('apply-start')
    expect(existsSync(filesOf(c).lock)).toBe(false)
  })

  it('unlock clears a stale lock and names its holder; unlocking again says it was not locked', async () => {
    const c = await newCase()
    const holder = await hold(filesOf(c).dir)
    await holder.kill()
    const r = await cutover(c, ['unlock', 'plan.yaml'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`^cutover: removed the lock of pid ${holder.pid} on ${hostname()} \\(since \\S+\\)\\n$`))
    expect(existsSync(filesOf(c).lock)).toBe(false)
    const again = await cutover(c, ['unlock', 'plan.yaml'])
    expect(again.code).toBe(0)
    expect(again.stdout).toBe('cutover: lab was not locked\n')
  })

  it.runIf(process.platform === 'linux')('a lock whose pid now belongs to another program (pid reuse): apply and unlock refuse naming the file, unlock --force clears it', async () => {
    const c = await newCase()
    const other = spawn('sleep', ['60'], { stdio: 'ignore' })
    try {
      const pid = other.pid ?? 0
      mkdirSync(filesOf(c).dir, { recursive: true })
      writeFileSync(filesOf(c).lock, JSON.stringify({ host: hostname(), pid, startedAt: '2026-12-01T00:00:00.000Z', user: 'alice', command: 'cutover apply plan.yaml --yes', commandLine: 'node /opt/cutover/bin/cutover.js apply plan.yaml --yes', token: 'x' }))
      const apply = await cutover(c, ['apply', 'plan.yaml', '--yes', '--quiet'])
      expect(apply.code).toBe(4)
      expect(lines(apply.stderr)[0]).toContain(`deleting ${filesOf(c).lock} clears the lock`)
      expect((await cutover(c, ['unlock', 'plan.yaml'])).code).toBe(4)
      const forced = await cutover(c, ['unlock', 'plan.yaml', '--force'])
      expect(forced.code).toBe(0)
      expect(forced.stdout).toContain(`removed the lock of pid ${pid}`)
      expect(existsSync(filesOf(c).lock)).toBe(false)
    } finally {
      other.kill('SIGKILL')
    }
  })
})
