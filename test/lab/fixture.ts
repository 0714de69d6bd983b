/** Shared setup for the lab emulator tests: real labs in temp folders, SQL against their stores. */
import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import type { Command, ParamValue } from '../../runner/core/command.js'
import { LabEmulator } from '../../runner/lab/emulator.js'
import { LAB_NAMES } from '../../runner/lab/lab-names.js'
import { createLab } from '../../runner/lab/seed.js'
import type { LabInfo } from '../../runner/lab/seed.js'
import { ticksOfMs } from '../../runner/lab/ticks.js'

const made: string[] = []
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
})

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-lab-'))
  made.push(dir)
  return dir
}

export interface TestLab {
  readonly info: LabInfo
  readonly dir: string
  readonly lab: LabEmulator
}

export async function newLab(options: { rooms?: number; messages?: number; seed?: number; faults?: string } = {}): Promise<TestLab> {
  const dir = join(tempDir(), 'lab')
  const info = await createLab({ dir, rooms: options.rooms ?? 40, messages: options.messages ?? 4000, seed: options.seed ?? 1 })
  return { info, dir, lab: new LabEmulator(dir, { faults: options.faults ?? '' }) }
}

export function rows<T>(file: string, sql: string, params: Record<string, string | number | bigint | null> = {}): T[] {
  const db = new Database(file, { readonly: true })
  try {
    return db.prepare(sql).all(params) as T[]
  } finally {
    db.close()
  }
}

export function value(file: string, sql: string, params: Record<string, string | number | bigint | null> = {}): number {
  const db = new Database(file, { readonly: true })
  try {
    return db.prepare(sql).pluck().get(params) as number
  } finally {
    db.close()
  }
}

export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

export function cmd(cmdlet: string, params: Record<string, ParamValue> = {}, computer?: string): Command {
  return { cmdlet, params: Object.entries(params), ...(computer === undefined ? {} : { computer }) }
}

export const CUTOFF_TICKS = ticksOfMs(Date.UTC(2019, 0, 1))

/** Every legacy node with its path from the top-level category (root excluded). */
export interface LegacyNode {
  readonly nodeID: number
  readonly nodeType: number
  readonly disabled: number
  readonly invite: number | null
  readonly path: readonly string[]
}

export function legacyNodes(file: string): LegacyNode[] {
  const all = rows<{ nodeID: number; parentID: number; nodeType: number; nodeName: string; disabled: number; invite: number | null }>(
    file,
    'SELECT nodeID, parentID, nodeType, nodeName, disabled, invite FROM tblNode WHERE nodeID <> 1 ORDER BY nodeID',
  )
  const byId = new Map(all.map((n) => [n.nodeID, n]))
  const path = (id: number): string[] => {
    const n = byId.get(id)
    return n === undefined ? [] : [...path(n.parentID), n.nodeName]
  }
  return all.map((n) => ({ nodeID: n.nodeID, nodeType: n.nodeType, disabled: n.disabled, invite: n.invite, path: path(n.nodeID) }))
}

/** What a plan with `Archive: export: false` passes as -Scope: every other category name. */
export function scopeWithoutArchive(file: string): string[] {
  return legacyNodes(file).filter((n) => n.nodeType === 1 && n.path[0] !== LAB_NAMES.archiveCategory).map((n) => n.path[n.path.length - 1] ?? '')
}

export function exportCommand(fileName: string, extra: Record<string, ParamValue> = {}): Command {
  return cmd('Export-CsPersistentChatData', { DBInstance: LAB_NAMES.legacyInstance, DBName: LAB_NAMES.legacyDatabase, FileName: fileName, ...extra })
}

export function importCommand(fileName: string, extra: Record<string, ParamValue> = {}): Command {
  return cmd('Import-CsPersistentChatData', { DBInstance: LAB_NAMES.targetInstance, FileName: fileName, ...extra })
}

/**
 * Straight from a lab's legacy store (its own query, not the inventory's): for each room that
 * plans/lab.yaml exports and keeps (not under Archive, not disabled, not the skipped
 * Sales/Pipeline review), its messages dated before `instant`; only rooms that have some, keyed
 * by the room's path ('Category/Room').
 */
export function labOlderMessages(file: string, instant: string): Map<string, number> {
  const before = rows<{ channelId: number; older: number }>(file, 'SELECT channelId, COUNT(chatId) AS older FROM tblChat WHERE chatDate < @before GROUP BY channelId', { before: ticksOfMs(Date.parse(instant)) })
  const older = new Map(before.map((r) => [r.channelId, r.older]))
  const out = new Map<string, number>()
  for (const n of legacyNodes(file)) {
    const count = older.get(n.nodeID) ?? 0
    if (n.nodeType !== 0 || n.disabled !== 0 || n.path[0] === LAB_NAMES.archiveCategory || n.path.join('/') === 'Sales/Pipeline review' || count === 0) continue
    out.set(n.path.join('/'), count)
  }
  return out
}
