/**
 * The reference of the crash tests: an uninterrupted run of a fresh lab, which every crashed and
 * resumed run must end equal to. Built once per run by the crash project's setup
 * (test/setup/crash-fixtures.ts), outside any test, so it checks with plain errors.
 */
import { rmSync } from 'node:fs'
import { apply, journal, runDigest, said, status, stepTraits } from './crash.js'
import type { JournalEvent, RunDigest, StepTraits } from './crash.js'
import { labCase } from './lab.js'

export interface LabSize {
  readonly rooms: number
  readonly messages: number
}

/** The small lab of the matrix: the smallest the lab allows (15 rooms), 2,000 messages. */
export const MATRIX_LAB: LabSize = { rooms: 15, messages: 2_000 }

/** The lab of test/crash/mid-work.test.ts: large enough that the export and the import report
 * progress (every 5,000 messages) before they end, so a crash at 0.5 really is half-way. */
export const MID_LAB: LabSize = { rooms: 15, messages: 10_000 }

/** A reference as the setup hands it to the test files (plain JSON: no Map). */
export interface ReferenceData {
  readonly lab: LabSize
  /** The step ids as `cutover status --json` lists them on a fresh lab. */
  readonly ids: readonly string[]
  readonly traits: readonly (readonly [string, StepTraits])[]
  /** The ids as compile() orders them, to check the CLI lists the compiled steps. */
  readonly compiledIds: readonly string[]
  readonly digest: RunDigest
  /** The reference run's journal. */
  readonly events: readonly JournalEvent[]
}

export interface CrashFixtures {
  readonly labs: ({ readonly template: string } & LabSize)[]
  readonly references: ReferenceData[]
}

export const sameSize = (a: LabSize, b: LabSize): boolean => a.rooms === b.rooms && a.messages === b.messages

/** Runs a fresh copy of `template` (a lab of size `lab`) to the end, uninterrupted. */
export async function buildReference(lab: LabSize, template: string): Promise<ReferenceData> {
  const c = await labCase({ ...lab, template })
  const ids = (await status(c)).steps.map((s) => s.id)
  const traits = await stepTraits(c.planFile)
  const r = await apply(c)
  if (r.code !== 0) throw new Error(`the reference run of the ${lab.rooms}x${lab.messages} lab failed: ${said(r)}`)
  const reference: ReferenceData = { lab, ids, traits: [...traits], compiledIds: [...traits.keys()], digest: runDigest(c), events: journal(c) }
  rmSync(c.dir, { recursive: true, force: true })
  return reference
}
