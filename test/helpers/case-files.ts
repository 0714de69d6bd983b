/**
 * Reading what a CLI run left in a labCase() folder: the state, the journal, the lock, the lab
 * emulator's world and stores. Read-only: the tests look, cutover does.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll } from 'vitest'
import type { JournalEntry, RunState } from '../../runner/state/types.js'
import type { LabWorld } from '../../runner/lab/world.js'
import { runCli } from './cli.js'
import type { CliResult } from './cli.js'
import { labCase } from './lab.js'
import type { LabCase } from './lab.js'

export function filesOf(c: LabCase) {
  const dir = join(c.dir, '.cutover')
  return {
    dir,
    state: join(dir, 'lab.state.json'),
    backup: join(dir, 'lab.state.json.bak'),
    journal: join(dir, 'lab.journal.jsonl'),
    lock: join(dir, 'lab.lock'),
    artifacts: join(dir, 'lab'),
    report: join(dir, 'lab', 'report.md'),
  }
}

/** Runs the built CLI in the case folder with the plan as `plan.yaml`. */
export function cutover(c: LabCase, args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliResult> {
  return runCli(args, { cwd: c.dir, env: { CUTOVER_LAB_FAULTS: '', CUTOVER_CLOCK: '', CUTOVER_CRASH_AT: '', ...env } })
}

export function readState(c: LabCase): RunState {
  return JSON.parse(readFileSync(filesOf(c).state, 'utf8')) as RunState
}

export function readJournal(c: LabCase): JournalEntry[] {
  const file = filesOf(c).journal
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as JournalEntry)
}

/** Bytes of the state, backup, journal and lock files (undefined when absent), to prove a command changed nothing. */
export function snapshot(c: LabCase): Record<string, string | undefined> {
  const f = filesOf(c)
  const read = (p: string) => (existsSync(p) ? readFileSync(p, 'latin1') : undefined)
  return { state: read(f.state), backup: read(f.backup), journal: read(f.journal), lock: read(f.lock), world: read(join(c.labDir, 'lab.json')) }
}

export function readWorld(c: LabCase): LabWorld {
  return JSON.parse(readFileSync(join(c.labDir, 'lab.json'), 'utf8')) as LabWorld
}

/** Every row of every table of a lab store, for before/after comparisons. */
export function dumpStore(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
    return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()]))
  } finally {
    db.close()
  }
}

export interface StatusRow {
  readonly id: string
  readonly phase: string
  readonly status: string
  readonly attempts: number
  readonly changed: boolean
  readonly approvedBy: string | null
  readonly error: string | null
}

export interface StatusJson {
  readonly plan: string
  readonly lock: null | { pid: number; alive: boolean }
  readonly steps: StatusRow[]
}

export async function statusJson(c: LabCase, env: Readonly<Record<string, string>> = {}): Promise<StatusJson> {
  const r = await cutover(c, ['status', 'plan.yaml', '--json'], env)
  if (r.code !== 0) throw new Error(`cutover status failed (${String(r.code)}): ${r.stderr}`)
  return JSON.parse(r.stdout) as StatusJson
}

/** Non-empty lines of a stream. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '')
}

/** Parses `--json` output (NDJSON engine events). */
export function jsonEvents(stdout: string): { type: string; id?: string; reason?: string; line?: string; attempt?: number }[] {
  return lines(stdout).map((l) => JSON.parse(l) as { type: string })
}

const made: string[] = []
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** labCase(), removed again after the test file. */
export async function newCase(opts: Parameters<typeof labCase>[0] = {}): Promise<LabCase> {
  const c = await labCase(opts)
  made.push(c.dir)
  return c
}
