import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { readVerification } from '../report/load.js'
import { buildReport } from '../report/model.js'
import type { Report } from '../report/model.js'
import type { Clock } from '../state/clock.js'
import type { OpenPlan } from './open-plan.js'

/** The report of a plan as its state, journal and artifacts say it ran. */
export async function currentReport(open: OpenPlan, clock: Clock): Promise<Report> {
  const state = await open.store.load()
  return buildReport({
    plan: open.plan, steps: open.steps, records: state?.steps ?? {}, journal: await open.store.readJournal(),
    verification: await readVerification(open.artifactsDir), now: clock.now(),
  })
}

/** Writes text to the artifacts folder atomically (temp + rename). */
export async function writeArtifactFile(open: OpenPlan, name: string, text: string): Promise<string> {
  await mkdir(open.artifactsDir, { recursive: true })
  const file = join(open.artifactsDir, name)
  await writeFile(`${file}.tmp`, text)
  await rename(`${file}.tmp`, file)
  return file
}
