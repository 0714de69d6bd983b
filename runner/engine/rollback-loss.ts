/**
 * What a rollback would cost: which target backup it restores, taken when, and what the
 * Persistent Chat store gained since (rooms and messages), above all what users posted after the
 * new clients were enabled, which no later apply brings back. Pure: the counts of the store now
 * are given (cli/commands/rollback.ts asks the store).
 */
import type { JsonObject } from '../core/json.js'
import type { Step } from '../core/step.js'
import { outputsOf } from '../state/records.js'
import type { RunState } from '../state/types.js'
import { clientsEnabledAt } from '../steps/downtime.js'

export interface Totals {
  readonly rooms: number
  readonly messages: number
}

export interface RollbackLoss {
  /** The target backup the rollback ends by restoring (the oldest one it restores). */
  readonly backup?: { readonly step: string; readonly file: string; readonly takenAt: string; readonly holds?: Totals }
  /** When the new clients were enabled; undefined when they never were. */
  readonly clientsEnabledAt?: string
  /** What the store holds now; undefined when it could not be counted (`countError`). */
  readonly now?: Totals
  readonly countError?: string
  /** What the store held when the cutover was verified (before the clients were enabled). */
  readonly verified?: Totals
  /** Now minus what the backup holds: everything the restore deletes. */
  readonly gainedSinceBackup?: Totals
  /** Now minus what was verified: posted after the cutover; gone for good after a restore. */
  readonly gainedSinceCutover?: Totals
}

function totalsOf(outputs: JsonObject | undefined, rooms: string, messages: string): Totals | undefined {
  const r = outputs?.[rooms]
  const m = outputs?.[messages]
  return typeof r === 'number' && typeof m === 'number' ? { rooms: r, messages: m } : undefined
}

function minus(a: Totals | undefined, b: Totals | undefined): Totals | undefined {
  return a === undefined || b === undefined ? undefined : { rooms: a.rooms - b.rooms, messages: a.messages - b.messages }
}

/** The cost of undoing `toUndo` (engine/guards.ts, planRollback) given the store's counts now. */
export function rollbackLoss(state: RunState, toUndo: readonly Step[], now: Totals | { readonly error: string }): RollbackLoss {
  // Undos run newest first: the last import undone restores the oldest backup, the one left.
  const restoring = [...toUndo].reverse().find((s) => s.kind === 'import' && s.input.whatIf === false && typeof s.input.backupStep === 'string')
  const backupStep = restoring === undefined ? undefined : String(restoring.input.backupStep)
  const rec = backupStep === undefined ? undefined : state.steps[backupStep]
  const out = outputsOf(rec)
  const holds = totalsOf(out, 'rooms', 'messages')
  const backup = backupStep !== undefined && rec?.status === 'done' && typeof out?.file === 'string'
    ? { step: backupStep, file: out.file, takenAt: rec.endedAt, ...(holds === undefined ? {} : { holds }) }
    : undefined
  const verifyRec = Object.values(state.steps).find((r) => r.kind === 'verify' && r.status === 'done')
  const verified = totalsOf(outputsOf(verifyRec), 'targetRooms', 'targetMessages')
  const enabled = clientsEnabledAt(state.steps, toUndo)
  const counted = 'error' in now ? undefined : now
  return {
    ...(backup === undefined ? {} : { backup }),
    ...(enabled === undefined ? {} : { clientsEnabledAt: enabled }),
    ...(counted === undefined ? { countError: 'error' in now ? now.error : '' } : { now: counted }),
    ...(verified === undefined ? {} : { verified }),
    ...(minus(counted, holds) === undefined ? {} : { gainedSinceBackup: minus(counted, holds) }),
    ...(enabled === undefined || minus(counted, verified) === undefined ? {} : { gainedSinceCutover: minus(counted, verified) }),
  }
}

const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`
const both = (t: Totals) => `${n(t.rooms, 'room', 'rooms')} and ${n(t.messages, 'message', 'messages')}`

/** The loss as lines for the terminal, the plainest first. */
export function describeLoss(loss: RollbackLoss): string[] {
  const lines: string[] = []
  if (loss.backup === undefined) lines.push('No Persistent Chat backup is restored (no import ran).')
  else lines.push(`Restores the Persistent Chat store from ${loss.backup.file}, taken at ${loss.backup.takenAt} (${loss.backup.step})${loss.backup.holds === undefined ? '' : `; it holds ${both(loss.backup.holds)}`}.`)
  if (loss.now === undefined) lines.push(`The Persistent Chat store could not be counted now (${loss.countError ?? 'unknown'}): what the restore deletes is not known.`)
  else if (loss.backup !== undefined) {
    lines.push(`The store holds ${both(loss.now)} now${loss.gainedSinceBackup === undefined ? '' : `: the restore deletes ${both(loss.gainedSinceBackup)} gained since the backup`}.`)
  }
  if (loss.clientsEnabledAt === undefined) lines.push('The new clients were never enabled: nobody has posted in Persistent Chat, and a later apply imports the legacy content again.')
  else if (loss.gainedSinceCutover !== undefined) {
    lines.push(`The new clients were enabled at ${loss.clientsEnabledAt}. Since the cutover was verified, users added ${both(loss.gainedSinceCutover)}: the restore DELETES them and no later apply brings them back.`)
  } else {
    lines.push(`The new clients were enabled at ${loss.clientsEnabledAt}: whatever users posted since is DELETED by the restore and no later apply brings it back (how much could not be counted).`)
  }
  return lines
}

/** The loss as the journal records it with the rollback. */
export function lossDetail(loss: RollbackLoss): JsonObject {
  return JSON.parse(JSON.stringify(loss)) as JsonObject
}
