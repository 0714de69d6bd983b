/**
 * The default StateStore: plain files in `.cutover/` beside the plan, readable by an admin with a
 * text editor, with the crash guarantees of state-file.ts, journal-file.ts and lock-file.ts.
 */
import { join } from 'node:path'
import { ensureStateDir, removeStrayTemps } from './durable-fs.js'
import { appendJournalLine, readJournalFile } from './journal-file.js'
import { LockFile } from './lock-file.js'
import { readStateFile, writeStateFile } from './state-file.js'
import type { JournalEntry, Lock, LockHolder, LockInspection, RunState, StateStore } from './types.js'

// The plan schema's name rule; checked again here because the name becomes file names.
const NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/

export interface FileStatePaths {
  readonly dir: string
  readonly state: string
  readonly backup: string
  readonly journal: string
  readonly lock: string
  readonly artifacts: string
}

/** Where the file store keeps the plan `name`'s files inside `dir` (usually `.cutover/`). */
export function fileStatePaths(dir: string, name: string): FileStatePaths {
  if (!NAME.test(name)) throw new Error(`cutover: ${JSON.stringify(name)} cannot name state files (lowercase letters, digits and '-')`)
  return {
    dir,
    state: join(dir, `${name}.state.json`),
    backup: join(dir, `${name}.state.json.bak`),
    journal: join(dir, `${name}.journal.jsonl`),
    lock: join(dir, `${name}.lock`),
    artifacts: join(dir, name),
  }
}

export class FileStateStore implements StateStore {
  readonly paths: FileStatePaths
  private readonly lockFile: LockFile
  private tornTail = false
  private dirReady = false
  // Saves and appends run one at a time, in call order, so the last save called is the one kept.
  private queue: Promise<unknown> = Promise.resolve()

  /** A store for the plan `name` in `dir`; touches no file until it is used. */
  constructor(dir: string, readonly name: string) {
    this.paths = fileStatePaths(dir, name)
    this.lockFile = new LockFile(this.paths.lock)
  }

  get journalTornTail(): boolean {
    return this.tornTail
  }

  /** The saved state, or undefined when this plan never ran; StateCorruptError when unreadable. */
  load(): Promise<RunState | undefined> {
    return readStateFile(this.paths)
  }

  /** Replaces the state atomically, keeping the previous one as `.bak`; durable on resolve. */
  save(state: RunState): Promise<void> {
    return this.serially(async () => {
      await this.prepareDir()
      await writeStateFile(this.paths, state)
    })
  }

  /** Appends one journal line; durable on resolve. */
  append(entry: JournalEntry): Promise<void> {
    return this.serially(async () => {
      await this.prepareDir()
      await appendJournalLine(this.paths.journal, entry)
    })
  }

  /** Every journal entry, oldest first, without a torn last line (see journalTornTail). */
  async readJournal(): Promise<JournalEntry[]> {
    const { entries, tornTail } = await readJournalFile(this.paths.journal)
    this.tornTail = tornTail
    return entries
  }

  /** Takes the plan's lock (see LockFile.acquire) and clears temp files left by dead writers. */
  async acquireLock(holder: LockHolder): Promise<Lock> {
    await this.prepareDir()
    const lock = await this.lockFile.acquire(holder)
    // Tidied by the lock holder, the one process meant to write; live writers' temps are kept anyway.
    await removeStrayTemps(this.paths.dir, `${this.name}.`)
    return lock
  }

  /** Who holds the lock and whether they still run; undefined when nobody does. */
  inspectLock(): Promise<LockInspection | undefined> {
    return this.lockFile.inspect()
  }

  /** Removes the lock of a dead holder (or, with force, one from another host); never a live one. */
  breakLock(opts: { readonly force: boolean }): Promise<LockHolder | undefined> {
    return this.lockFile.break(opts.force)
  }

  /** `.cutover/<name>/`, created by whoever first writes an artifact. */
  artifactsDir(): string {
    return this.paths.artifacts
  }

  private async prepareDir(): Promise<void> {
    if (this.dirReady) return
    await ensureStateDir(this.paths.dir)
    this.dirReady = true
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work)
    this.queue = result.catch(() => undefined)
    return result
  }
}
