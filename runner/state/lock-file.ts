/**
 * The plan's lock as one file holding its holder as JSON.
 *
 * Taking it is an atomic exclusive create (link of a complete temp file). Taking over or removing
 * it is a compare-and-swap: "replace the lock if it still holds exactly what I judged dead".
 * Renaming a temp file over the lock and re-reading is not enough on its own: two processes that
 * both judged the same holder dead could each rename, each re-read its own content before the
 * other's rename, and both believe they won. So every change of an existing lock first takes an
 * exclusive swap marker named after the content it expects; of all processes expecting the same
 * content, only the marker's creator may replace it, and it checks the content again under it.
 * Fresh content always carries a random token, so a content once replaced never comes back.
 */
import { createHash, randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { readFile, rename, unlink } from 'node:fs/promises'
import { dirname } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { createExclusive, fsyncDir, writeTemp } from './durable-fs.js'
import { LOCK_REFUSALS, LockedError, StateCorruptError } from './errors.js'
import { unlessMissing } from './fs-errors.js'
import { holderLiveness, pidTakenByOther } from './liveness.js'
import { describeProblems, lockHolderProblems, pickHolder } from './validate.js'
import type { Lock, LockHolder, LockInspection } from './types.js'

type LockContent =
  | { readonly kind: 'held'; readonly raw: string; readonly holder: LockHolder }
  | { readonly kind: 'unreadable'; readonly raw: string; readonly problem: string }

type SwapResult = 'replaced' | 'changed' | 'busy'

// A takeover holds its marker for a few milliseconds; waiting this long for one is plenty.
const ATTEMPTS = 100
const BUSY_WAIT_MS = 10
// A marker left by a process that died mid-swap is itself removed by a swap, one level deeper.
const MAX_MARKER_DEPTH = 2

function serialize(holder: LockHolder): string {
  return JSON.stringify({ ...pickHolder(holder), token: randomUUID() }, null, 2) + '\n'
}

function parse(raw: string): LockContent {
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch (error) {
    return { kind: 'unreadable', raw, problem: `is not valid JSON (${(error as Error).message})` }
  }
  const problems = lockHolderProblems(value)
  if (problems.length > 0) return { kind: 'unreadable', raw, problem: `does not name a lock holder: ${describeProblems(problems)}` }
  return { kind: 'held', raw, holder: pickHolder(value as LockHolder) }
}

async function readContent(path: string): Promise<LockContent | undefined> {
  const raw = await unlessMissing(readFile(path, 'utf8'))
  return raw === undefined ? undefined : parse(raw)
}

function markerPath(path: string, expected: string): string {
  return `${path}.swap-${createHash('sha256').update(expected).digest('hex').slice(0, 16)}`
}

/** Replaces the file at `path` with `next` (or removes it when `next` is undefined) only if it
 * still holds exactly `expected`. 'busy': another process is swapping the same content now. */
async function compareAndSwap(path: string, expected: string, next: string | undefined, depth = 0): Promise<SwapResult> {
  const marker = markerPath(path, expected)
  const markerHolder: LockHolder = { host: hostname(), pid: process.pid, startedAt: new Date().toISOString(), user: 'cutover', command: 'lock swap' }
  if (!(await createExclusive(marker, serialize(markerHolder)))) {
    const other = await readContent(marker)
    if (other?.kind === 'held' && holderLiveness(other.holder) === 'dead' && depth < MAX_MARKER_DEPTH) {
      await compareAndSwap(marker, other.raw, undefined, depth + 1)
    }
    return 'busy'
  }
  try {
    const current = await unlessMissing(readFile(path, 'utf8'))
    if (current !== expected) return 'changed'
    if (next === undefined) await unlink(path)
    else await rename(await writeTemp(path, next), path)
    await fsyncDir(dirname(path))
    return 'replaced'
  } finally {
    await unlessMissing(unlink(marker))
  }
}

function corrupt(path: string, problem: string): StateCorruptError {
  return new StateCorruptError(
    path,
    `the lock file ${problem}`,
    'cutover cannot tell who holds the lock. If no cutover is running for this plan, run `cutover unlock --force`',
  )
}

/** The lock at `path`; the directory must exist before `acquire`. */
export class LockFile {
  constructor(readonly path: string) {}

  /** Takes the lock for `holder`, taking over from a dead holder on this host; throws LockedError
   * when a live process or another host holds it, StateCorruptError when the file is unreadable. */
  async acquire(holder: LockHolder): Promise<Lock> {
    const mine = serialize(holder)
    let last: LockHolder | undefined
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (await createExclusive(this.path, mine)) return this.ownedLock(holder, mine, undefined)
      const current = await readContent(this.path)
      if (current === undefined) continue // released between our create and our read
      if (current.kind === 'unreadable') throw corrupt(this.path, current.problem)
      last = current.holder
      const liveness = holderLiveness(current.holder)
      if (liveness === 'alive') throw new LockedError(current.holder, LOCK_REFUSALS.running, { file: this.path })
      if (liveness === 'unknown') throw new LockedError(current.holder, LOCK_REFUSALS.otherHost, { file: this.path })
      const swapped = await compareAndSwap(this.path, current.raw, mine)
      // Re-read: the swap's own check is what makes us the owner, this only guards against a bug.
      if (swapped === 'replaced' && (await unlessMissing(readFile(this.path, 'utf8'))) === mine) {
        return this.ownedLock(holder, mine, current.holder)
      }
      if (swapped === 'busy') await sleep(BUSY_WAIT_MS)
    }
    if (last === undefined) throw new Error(`cutover: could not create ${this.path} after ${ATTEMPTS} attempts`)
    throw new LockedError(last, LOCK_REFUSALS.contended, { file: this.path })
  }

  /** Who holds the lock and whether they still run; undefined when nobody does. */
  async inspect(): Promise<LockInspection | undefined> {
    const current = await readContent(this.path)
    if (current === undefined) return undefined
    if (current.kind === 'unreadable') throw corrupt(this.path, current.problem)
    const liveness = holderLiveness(current.holder)
    return { holder: current.holder, alive: liveness !== 'dead', sameHost: liveness !== 'unknown' }
  }

  /** Removes the lock unless its holder runs on this host; `force` also removes one held from
   * another host, an unreadable one, or one whose pid now runs another program (pid reuse).
   * Returns the removed holder (undefined when none). */
  async break(force: boolean): Promise<LockHolder | undefined> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = await readContent(this.path)
      if (current === undefined) return undefined
      if (current.kind === 'unreadable' && !force) throw corrupt(this.path, current.problem)
      if (current.kind === 'held') {
        const liveness = holderLiveness(current.holder)
        const breaking = { file: this.path, breaking: true }
        // --force clears a live pid only when it provably is not the cutover that took the lock.
        if (liveness === 'alive' && !(force && pidTakenByOther(current.holder) !== undefined)) throw new LockedError(current.holder, LOCK_REFUSALS.running, breaking)
        if (liveness === 'unknown' && !force) throw new LockedError(current.holder, LOCK_REFUSALS.otherHost, breaking)
      }
      const swapped = await compareAndSwap(this.path, current.raw, undefined)
      if (swapped === 'replaced') return current.kind === 'held' ? current.holder : undefined
      if (swapped === 'busy') await sleep(BUSY_WAIT_MS)
    }
    throw new Error(`cutover: ${this.path} kept changing while unlocking; try again`)
  }

  private ownedLock(holder: LockHolder, mine: string, stale: LockHolder | undefined): Lock {
    const path = this.path
    let released = false
    return {
      holder: pickHolder(holder),
      ...(stale === undefined ? {} : { tookOverStale: stale }),
      async release(): Promise<void> {
        if (released) return
        released = true
        try {
          for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
            // 'changed': the lock was broken from elsewhere and is no longer ours to remove.
            if ((await compareAndSwap(path, mine, undefined)) !== 'busy') return
            await sleep(BUSY_WAIT_MS)
          }
        } catch (error) {
          released = false // let the caller retry after, say, a full disk
          throw error
        }
      },
    }
  }
}
