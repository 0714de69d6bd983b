/**
 * The StateStore contract in memory, for unit tests of the engine: same answers, same errors as
 * the file store, no files. What it keeps is serialized, as the file store's is, so a caller
 * that mutates an object after saving it cannot change the saved state behind the store's back.
 */
import { LOCK_REFUSALS, LockedError } from './errors.js'
import { describeProblems, journalEntryProblems, pickHolder, runStateProblems } from './validate.js'
import type { JournalEntry, Lock, LockHolder, LockInspection, RunState, StateStore } from './types.js'

interface HeldLock {
  readonly holder: LockHolder
  readonly owner: symbol
  dead: boolean
}

export class MemoryStateStore implements StateStore {
  readonly journalTornTail = false
  private state: string | undefined
  private readonly journal: string[] = []
  private lock: HeldLock | undefined

  /** A store that starts empty, or from a state a test prepared (checked as `save` would). */
  constructor(initial?: { readonly state?: RunState; readonly journal?: readonly JournalEntry[] }) {
    if (initial?.state !== undefined) this.state = serializeState(initial.state)
    for (const entry of initial?.journal ?? []) this.journal.push(serializeEntry(entry))
  }

  /** The saved state (a fresh copy), or undefined when nothing was saved. */
  async load(): Promise<RunState | undefined> {
    return this.state === undefined ? undefined : (JSON.parse(this.state) as RunState)
  }

  /** Keeps a copy of `state`; throws for a state the file store would refuse too. */
  async save(state: RunState): Promise<void> {
    this.state = serializeState(state)
  }

  /** Keeps a copy of `entry` at the end of the journal. */
  async append(entry: JournalEntry): Promise<void> {
    this.journal.push(serializeEntry(entry))
  }

  /** Copies of every entry, oldest first; a memory journal is never torn. */
  async readJournal(): Promise<JournalEntry[]> {
    return this.journal.map((line) => JSON.parse(line) as JournalEntry)
  }

  /** Takes the lock, or takes it over after `abandonLock`; LockedError while it is held. */
  async acquireLock(holder: LockHolder): Promise<Lock> {
    const previous = this.lock
    if (previous !== undefined && !previous.dead) throw new LockedError(previous.holder, LOCK_REFUSALS.running)
    const held: HeldLock = { holder: pickHolder(holder), owner: Symbol('lock owner'), dead: false }
    this.lock = held
    return {
      holder: held.holder,
      ...(previous === undefined ? {} : { tookOverStale: previous.holder }),
      release: async () => {
        if (this.lock?.owner === held.owner) this.lock = undefined
      },
    }
  }

  /** Who holds the lock and whether they still run (false only after `abandonLock`). */
  async inspectLock(): Promise<LockInspection | undefined> {
    return this.lock === undefined ? undefined : { holder: this.lock.holder, alive: !this.lock.dead, sameHost: true }
  }

  /** Removes an abandoned lock and returns its holder; refuses while the holder is alive. Every
   * memory holder counts as on this host, so `force` changes nothing, as for a local file lock. */
  async breakLock(): Promise<LockHolder | undefined> {
    const held = this.lock
    if (held === undefined) return undefined
    if (!held.dead) throw new LockedError(held.holder, LOCK_REFUSALS.running, { breaking: true })
    this.lock = undefined
    return held.holder
  }

  /** A memory store keeps no artifacts. */
  artifactsDir(): undefined {
    return undefined
  }

  /** Simulates the lock holder's process dying without releasing: the lock stays, now stale. */
  abandonLock(): void {
    if (this.lock !== undefined) this.lock.dead = true
  }
}

function serializeState(state: RunState): string {
  const problems = runStateProblems(state)
  if (problems.length > 0) throw new Error(`cutover: refusing to save an invalid state: ${describeProblems(problems)}`)
  return JSON.stringify(state)
}

function serializeEntry(entry: JournalEntry): string {
  const problems = journalEntryProblems(entry)
  if (problems.length > 0) throw new Error(`cutover: refusing to journal an invalid entry: ${describeProblems(problems)}`)
  return JSON.stringify(entry)
}
