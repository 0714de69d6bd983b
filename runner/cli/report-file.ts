import { reportHtml } from '../report/html.js'
import { readVerification } from '../report/load.js'
import { reportMarkdown } from '../report/markdown.js'
import { buildReport } from '../report/model.js'
import type { Report } from '../report/model.js'
import type { Clock } from '../core/clock.js'
import { writeArtifactText } from '../steps/artifacts.js'
import type { OpenPlan } from './open-plan.js'

/** The report of a plan as its state, journal and artifacts say it ran. */
export async function currentReport(open: OpenPlan, clock: Clock): Promise<Report> {
  const state = await open.store.load()
  return buildReport({
    plan: open.plan, steps: open.steps, records: state?.steps ?? {}, journal: await open.store.readJournal(),
    verification: await readVerification(open.artifactsDir), now: clock.now(),
    ...(state === undefined ? {} : { planState: state.plan }),
  })
}


/** Writes report.md and report.html among the plan's artifacts, from what the state and the
 * journal say now; returns the Markdown file's path. */
export async function writeReports(open: OpenPlan, clock: Clock): Promise<string> {
  const report = await currentReport(open, clock)
  const file = await writeArtifactText(open.artifactsDir, 'report.md', reportMarkdown(report))
  await writeArtifactText(open.artifactsDir, 'report.html', reportHtml(report))
  return file
}
