import { readVerification } from '../report/load.js'
import { reportHtml } from '../report/html.js'
import { reportMarkdown } from '../report/markdown.js'
import { buildReport } from '../report/model.js'
import type { Report } from '../report/model.js'
import type { Clock } from '../core/clock.js'
import { runtimeOf } from '../runtimes/index.js'
import { writeArtifactText } from '../steps/artifacts.js'
import { stopLegacyId } from '../steps/kinds/stop-legacy.js'
import { startTargetId } from '../steps/kinds/target-services.js'
import type { OpenPlan } from './open-plan.js'

/** The report of a plan as its state, journal and artifacts say it ran. */
export async function currentReport(open: OpenPlan, clock: Clock): Promise<Report> {
  const state = await open.store.load()
  return buildReport({
    plan: open.plan, steps: open.steps, records: state?.steps ?? {}, journal: await open.store.readJournal(),
    verification: await readVerification(open.artifactsDir), now: clock.now(),
    ...(state === undefined ? {} : { planState: state.plan }),
    lab: runtimeOf(open.plan.environment.shell).emulator,
    downtime: { starts: open.plan.sources.map((s) => stopLegacyId(s.id)), end: startTargetId() },
  })
}

/** Writes report.md and report.html among the plan's artifacts, from what the state says now;
 * returns the Markdown file's path. */
export async function writeReports(open: OpenPlan, clock: Clock): Promise<string> {
  const report = await currentReport(open, clock)
  const file = await writeArtifactText(open.artifactsDir, 'report.md', reportMarkdown(report))
  await writeArtifactText(open.artifactsDir, 'report.html', reportHtml(report))
  return file
}
