/**
 * The StateStore on SQL Server (state.backend: mssql), for teams that want the run's state where
 * every admin's workstation can reach it. In the database `state.database` (created if missing):
 * dbo.cutoverState holds each plan's state as JSON in one row, dbo.cutoverJournal one row per
 * journal entry in identity order, dbo.cutoverLock the lock holder. The lock itself is a
 * session-level applock (mssql-state-sql.ts) on a connection of its own, kept open from
 * acquireLock to release: a run that dies drops it with its session. Artifacts stay local files.
 */
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { SqlClient } from '../core/sql-client.js'
import { mssqlConfig } from '../sql/connection.js'
import { openMssqlClient } from '../sql/mssql.js'
import type { MssqlConnectOverrides } from '../sql/mssql.js'
import { LOCK_REFUSALS, LockedError, StateCorruptError } from './errors.js'
import { createDatabaseIfMissing } from './mssql-database.js'
import { ACQUIRE_SQL, APPEND_SQL, BREAK_SQL, CREATE_TABLES_SQL, FORGET_SQL, INSPECT_SQL, JOURNAL_SQL, LOAD_SQL, RELEASE_SQL, SAVE_SQL } from './mssql-state-sql.js'
import { describeProblems, journalEntryProblems, lockHolderProblems, pickHolder, runStateProblems } from './validate.js'
import type { JournalEntry, Lock, LockHolder, LockInspection, RunState, StateStore } from './types.js'

export interface MssqlStateStoreOptions {
  /** A resolved connection string (secrets substituted) to the state server. */
  readonly connectionString: string
  /** The database holding the state tables (plan.state.database); created if missing. */
  readonly database: string
  /** The plan's name: the key of its rows, and of its lock. */
  readonly name: string
  /** `.cutover/<name>/` beside the plan: rendered scripts, logs and reports stay local. */
  readonly artifactsDir: string
  readonly redact?: (text: string) => string
  readonly requestTimeoutMs?: number
}

interface HolderRow {
  readonly host: string | null
  readonly pid: number | null
  readonly userName: string | null
  readonly command: string | null
  readonly startedAt: string | null
  readonly sessionId: number | null
}

// A run saves a handful of times per step; between steps the connection may as well go, so that
// a command that is done can exit without closing the store.
const DATA_POOL = { max: 2, min: 0, idleTimeoutMillis: 250, reapIntervalMillis: 100 } as const
// The lock's one connection must never be recycled while held: min 1 keeps it from the idle
// reaper; it goes only when released (or when SQL Server loses it, which frees the lock too).
const LOCK_POOL = { max: 1, min: 1, idleTimeoutMillis: 2_147_483_647, reapIntervalMillis: 60_000 } as const
// sp_getapplock's code when the guard (not the lock) could not be had in time.
const GUARD_BUSY = -100
const ACQUIRE_ATTEMPTS = 20
const RETRY_MS = 50

const NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/

function holderOf(row: HolderRow | undefined): LockHolder | undefined {
  if (row === undefined || row.host === null) return undefined
  const holder = { host: row.host, pid: row.pid, user: row.userName, command: row.command, startedAt: row.startedAt }
  return lockHolderProblems(holder).length === 0 ? pickHolder(holder as LockHolder) : undefined
}

function serverOf(connectionString: string): string {
  try {
    const c = mssqlConfig(connectionString)
    const instance = c.options?.instanceName
    return instance === undefined ? c.server : `${c.server}\\${instance}`
  } catch {
    return 'the state server'
  }
}

export class MssqlStateStore implements StateStore {
  /** SQL Server commits whole rows: there is no torn last line to leave out. */
  readonly journalTornTail = false
  readonly label: string
  private readonly resource: string
  private readonly guard: string
  private data: Promise<SqlClient> | undefined
  private readonly locks = new Set<SqlClient>()
  // Saves and appends run one at a time, in call order, so the last save called is the one kept.
  private queue: Promise<unknown> = Promise.resolve()

  /** A store for the plan `opts.name` in `opts.database`; connects on first use. */
  constructor(private readonly opts: MssqlStateStoreOptions) {
    if (!NAME.test(opts.name)) throw new Error(`cutover: ${JSON.stringify(opts.name)} cannot name a plan's state (lowercase letters, digits and '-')`)
    this.label = `the state store of ${opts.name} (${serverOf(opts.connectionString)}, ${opts.database})`
    this.resource = `cutover:${opts.name}`
    this.guard = `cutover-guard:${opts.name}`
  }

  /** The saved state, or undefined when this plan never ran; StateCorruptError when its row cannot be read. */
  async load(): Promise<RunState | undefined> {
    const [row] = await (await this.client()).query<{ stateJson: string }>(LOAD_SQL, { plan: this.opts.name })
    if (row === undefined) return undefined
    const where = `${this.label}, dbo.cutoverState row of ${this.opts.name}`
    let value: unknown
    try {
      value = JSON.parse(row.stateJson)
    } catch (error) {
      throw new StateCorruptError(where, `is not valid JSON (${(error as Error).message})`, 'cutover will not start over a run it cannot read; restore the row from a backup of the database')
    }
    const problems = runStateProblems(value)
    if (problems.length > 0) throw new StateCorruptError(where, `is not a cutover state: ${describeProblems(problems)}`, 'cutover will not start over a run it cannot read; restore the row from a backup of the database')
    return value as RunState
  }

  /** Replaces the state in one transaction; durable on resolve. */
  save(state: RunState): Promise<void> {
    const problems = runStateProblems(state)
    if (problems.length > 0) return Promise.reject(new Error(`cutover: refusing to save an invalid state: ${describeProblems(problems)}`))
    const json = JSON.stringify(state)
    return this.serially(async () => {
      await (await this.client()).query(SAVE_SQL, { plan: this.opts.name, json })
    })
  }

  /** Appends one journal row; durable on resolve. */
  append(entry: JournalEntry): Promise<void> {
    const problems = journalEntryProblems(entry)
    if (problems.length > 0) return Promise.reject(new Error(`cutover: refusing to journal an invalid entry: ${describeProblems(problems)}`))
    const json = JSON.stringify(entry)
    return this.serially(async () => {
      await (await this.client()).query(APPEND_SQL, { plan: this.opts.name, json })
    })
  }

  /** Every journal entry, oldest first; StateCorruptError naming the first row that cannot be read. */
  async readJournal(): Promise<JournalEntry[]> {
    const rows = await (await this.client()).query<{ entryId: number | string; entryJson: string }>(JOURNAL_SQL, { plan: this.opts.name })
    return rows.map((row) => {
      let value: unknown
      try {
        value = JSON.parse(row.entryJson)
      } catch (error) {
        value = { problem: (error as Error).message }
      }
      const problems = journalEntryProblems(value)
      if (problems.length > 0) {
        throw new StateCorruptError(`${this.label}, dbo.cutoverJournal entryId ${row.entryId}`, `is not a journal entry: ${describeProblems(problems)}`, 'the journal is the audit trail of the run; restore it from a backup of the database')
      }
      return value as JournalEntry
    })
  }

  /** Takes the plan's lock on a connection kept open until release; takes over from a holder
   * whose session is gone; LockedError naming the holder while its session lives. */
  async acquireLock(holder: LockHolder): Promise<Lock> {
    const problems = lockHolderProblems(holder)
    if (problems.length > 0) throw new Error(`cutover: not a lock holder: ${describeProblems(problems)}`)
    await this.client()
    const session = await this.open({ database: this.opts.database, pool: LOCK_POOL })
    this.locks.add(session)
    const token = randomUUID()
    try {
      for (let attempt = 0; attempt < ACQUIRE_ATTEMPTS; attempt++) {
        const [row] = await session.query<HolderRow & { granted: number }>(ACQUIRE_SQL, {
          plan: this.opts.name, resource: this.resource, guard: this.guard, token,
          host: holder.host, pid: holder.pid, user: holder.user, command: holder.command, startedAt: holder.startedAt,
        })
        const granted = Number(row?.granted ?? GUARD_BUSY)
        const previous = holderOf(row)
        if (granted >= 0) return this.heldLock(session, token, pickHolder(holder), previous)
        if (granted !== GUARD_BUSY && previous !== undefined) throw new LockedError(previous, LOCK_REFUSALS.running)
        // The guard was busy, or the applock is held by a session that wrote no row (it cannot be
        // ours: every taker writes its row under the guard): ask again shortly.
        await sleep(RETRY_MS)
      }
      throw new LockedError({ host: 'an unknown host', pid: 1, startedAt: 'an unknown time', user: 'unknown', command: `a SQL Server session holding applock ${this.resource} without a holder row` }, LOCK_REFUSALS.contended)
    } catch (error) {
      await this.drop(session)
      throw error
    }
  }

  /** The holder row and whether its session still holds the applock. SQL Server answers that
   * for a session from any host, so `alive` is always checked (`sameHost` true). */
  async inspectLock(): Promise<LockInspection | undefined> {
    const [row] = await (await this.client()).query<HolderRow & { free: number }>(INSPECT_SQL, { plan: this.opts.name, resource: this.resource, guard: this.guard })
    const holder = holderOf(row)
    if (row === undefined || holder === undefined) return undefined
    return { holder, alive: Number(row.free) !== 1, sameHost: true }
  }

  /** Removes the row of a holder whose session is gone and returns it. A live session's lock is
   * never broken, `force` or not: cutover does not kill sessions; that run must end first. */
  async breakLock(): Promise<LockHolder | undefined> {
    const [row] = await (await this.client()).query<HolderRow & { free: number }>(BREAK_SQL, { plan: this.opts.name, resource: this.resource, guard: this.guard })
    const holder = holderOf(row)
    if (row === undefined || holder === undefined) return undefined
    if (Number(row.free) !== 1) throw new LockedError(holder, LOCK_REFUSALS.running, { breaking: true })
    return holder
  }

  /** `.cutover/<name>/` beside the plan. */
  artifactsDir(): string {
    return this.opts.artifactsDir
  }

  /** Closes every connection, giving up any lock still held (its session ends). */
  async close(): Promise<void> {
    const data = this.data
    this.data = undefined
    await Promise.all([...this.locks].map((s) => this.drop(s)))
    if (data !== undefined) await data.then((c) => c.close(), () => undefined)
  }

  private heldLock(session: SqlClient, token: string, holder: LockHolder, stale: LockHolder | undefined): Lock {
    let released = false
    return {
      holder,
      ...(stale === undefined ? {} : { tookOverStale: stale }),
      release: async (): Promise<void> => {
        if (released) return
        released = true
        const params = { plan: this.opts.name, resource: this.resource, guard: this.guard, token }
        try {
          await session.query(RELEASE_SQL, params)
        } catch {
          // The holding session is gone (and its applock with it): only the row is left to remove,
          // and only if it is still ours. Failing that too leaves a row the next run takes over.
          await (await this.client()).query(FORGET_SQL, params).catch(() => undefined)
        } finally {
          await this.drop(session)
        }
      },
    }
  }

  private async drop(session: SqlClient): Promise<void> {
    this.locks.delete(session)
    await session.close().catch(() => undefined)
  }

  private open(overrides: MssqlConnectOverrides): Promise<SqlClient> {
    return openMssqlClient(this.opts.connectionString, {
      label: this.label,
      ...(this.opts.redact === undefined ? {} : { redact: this.opts.redact }),
      ...(this.opts.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: this.opts.requestTimeoutMs }),
    }, overrides)
  }

  /** The data connection, after making sure the database and its tables exist. */
  private client(): Promise<SqlClient> {
    if (this.data === undefined) {
      const ready = (async () => {
        const master = await this.open({ database: 'master', pool: DATA_POOL })
        try {
          await createDatabaseIfMissing(master, this.opts.database)
        } finally {
          await master.close()
        }
        const client = await this.open({ database: this.opts.database, pool: DATA_POOL })
        try {
          await client.query(CREATE_TABLES_SQL)
        } catch (error) {
          await client.close()
          throw error
        }
        return client
      })()
      // A failed attempt is not kept: the next call tries again (the server may be back).
      ready.catch(() => {
        if (this.data === ready) this.data = undefined
      })
      this.data = ready
    }
    return this.data
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work)
    this.queue = result.catch(() => undefined)
    return result
  }
}
