/**
 * What cutover remembers about a run, and the small contract a store keeps for it. The engine
 * holds the lock, marks a step `running` durably before it starts and `done` durably after it
 * ends, and appends every decision to the journal; a store only has to make each call durable
 * when its promise resolves. Implemented by the file store (default), an in-memory store for
 * tests, and the SQL Server store.
 */

import type { JsonObject } from '../core/json.js'

export const STEP_STATUSES = ['pending', 'running', 'done', 'failed', 'awaiting-approval'] as const
export type StepStatus = (typeof STEP_STATUSES)[number]

/** What every record of a step holds, whatever its status. */
interface RecordBase {
  readonly id: string
  /** The step's kind when it was recorded, so that guards read the state, not the plan file (a
   * step removed from the plan is still known for what it did). Absent in states written
   * before cutover recorded it. */
  readonly kind?: string
  /** Hash of the step's kind and inputs when it last ran; a change stops a resumed run. */
  readonly fingerprint: string
  readonly attempts: number
}

/** An admin's approval of a manual step: who, when, and what they noted. */
export interface Approval {
  readonly by: string
  /** ISO 8601 instant. */
  readonly at: string
  readonly note?: string
}

/** Never started, or started afresh (rollback). */
export interface PendingRecord extends RecordBase {
  readonly status: 'pending'
  /** A manual step approved before the run reached it (`cutover approve --ahead`): apply goes
   * past it when it gets there, and until then `approve --revoke` withdraws it. */
  readonly preApproval?: Approval
}

/** Started and not known to have ended: the process may have died while it ran. */
export interface RunningRecord extends RecordBase {
  readonly status: 'running'
  /** ISO 8601 instant. */
  readonly startedAt: string
}

export interface DoneRecord extends RecordBase {
  readonly status: 'done'
  readonly startedAt?: string
  readonly endedAt: string
  /** What the step produced: inventory counts, export path and sha256, ... */
  readonly outputs?: JsonObject
  /** A manual step: who approved it, and when. */
  readonly approvedBy?: string
  readonly approvedAt?: string
  /** What the approver noted (`approve --note`). */
  readonly approvalNote?: string
  /** The approval was given before the run reached the step (`approve --ahead`). */
  readonly approvedAhead?: true
  /** Not run to its end by cutover: an admin settled it (`cutover resolve --done`). */
  readonly resolvedBy?: string
  /** What the step was when the admin marked it done: `failed` is shown as "marked done by X
   * after a failure", never as plainly done. */
  readonly resolvedFrom?: 'running' | 'failed'
}

export interface FailedRecord extends RecordBase {
  readonly status: 'failed'
  readonly startedAt?: string
  readonly endedAt: string
  readonly error: string
}

/** A manual step the run reached; it waits for `cutover approve`. */
export interface AwaitingApprovalRecord extends RecordBase {
  readonly status: 'awaiting-approval'
}

/** A step's record: one shape per status, so a done step always has its end and a failed one
 * its error. */
export type StepRecord = PendingRecord | RunningRecord | DoneRecord | FailedRecord | AwaitingApprovalRecord

export interface RunState {
  readonly formatVersion: 1
  readonly plan: {
    readonly name: string
    readonly hash: string
    readonly commit?: string
    /** How the commit is known: `git` (checked: the commit exists and holds the plan file's
     * bytes) or `operator` (given with --plan-sha and not confirmed by git). Absent: `git`. */
    readonly commitSource?: 'git' | 'operator'
  }
  readonly steps: Readonly<Record<string, StepRecord>>
  /** Records of steps the plan no longer has, kept when an admin accepted their removal
   * (`apply --accept-changes`): what they did still counts (rollback reads them). */
  readonly retired?: Readonly<Record<string, StepRecord>>
  readonly createdAt: string
  readonly updatedAt: string
}

/** One line of the append-only audit trail: who did what, when, from where, and how it ended. */
export interface JournalEntry {
  readonly at: string
  readonly who: string
  readonly host: string
  readonly pid: number
  readonly event: string
  readonly step?: string
  readonly outcome?: string
  readonly detail?: JsonObject
}

/** Who holds a plan's lock; shown to whoever is refused it. */
export interface LockHolder {
  readonly host: string
  readonly pid: number
  readonly startedAt: string
  readonly user: string
  readonly command: string
  /** What identifies the holder's process beyond its pid, where the system tells (Linux: boot id
   * and start time from /proc; state/liveness.ts): a pid now used by a process that started at
   * another time is not the holder. */
  readonly processStart?: string
  /** The holder process's command line as the system shows it, for `unlock --force`. */
  readonly commandLine?: string
}

export interface Lock {
  readonly holder: LockHolder
  /** Set when the lock was taken over from a process on this host that had died holding it. */
  readonly tookOverStale?: LockHolder
  /** Gives the lock up; a second call, or a call after the lock was broken, does nothing. */
  release(): Promise<void>
}

export interface LockInspection {
  readonly holder: LockHolder
  /** False only when the holder is known to be gone: on this host and its pid no longer exists.
   * A holder on another host cannot be checked from here and counts as alive. */
  readonly alive: boolean
  /** Whether the holder ran on this host, so that `alive` was actually checked. */
  readonly sameHost: boolean
}

export interface StateStore {
  /** The saved state, or undefined when this plan never ran; throws StateCorruptError rather
   * than pretending a damaged state is a fresh start. */
  load(): Promise<RunState | undefined>
  /** Replaces the state; durable once the promise resolves, and a crash at any point leaves
   * either the previous or the new state, never a mix. */
  save(state: RunState): Promise<void>
  /** Appends one entry to the journal; durable once the promise resolves. */
  append(entry: JournalEntry): Promise<void>
  /** Every journal entry, oldest first. A last line torn by a crash mid-append is left out and
   * `journalTornTail` says so; damage anywhere else throws StateCorruptError. */
  readJournal(): Promise<JournalEntry[]>
  /** Whether the latest readJournal found and left out a torn last line. */
  readonly journalTornTail: boolean
  /** Takes the plan's lock, taking over one left by a dead process on this host; throws
   * LockedError naming the holder when a live process (or one on another host) has it. */
  acquireLock(holder: LockHolder): Promise<Lock>
  /** Who holds the lock and whether they still run, or undefined when nobody does. */
  inspectLock(): Promise<LockInspection | undefined>
  /** Removes a lock whose holder is gone and returns that holder (undefined when unlocked).
   * Always refuses (LockedError) while the holder is alive on this host; `force` only allows
   * breaking a lock held from another host, whose liveness cannot be checked. */
  breakLock(opts: { readonly force: boolean }): Promise<LockHolder | undefined>
  /** Where rendered scripts, step logs and reports go (not created here); undefined when the
   * store keeps no files. */
  artifactsDir(): string | undefined
}
