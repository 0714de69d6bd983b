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
import { knowledgeFrom } from './preview-knowledge.js'
import type { Inventory } from '../sql/inventory.js'
import type { DoneRecord, StepRecord } from '../state/types.js'
import { cutoverVersion } from '../version.js'

/** Who writes the report: `writer`, the id of the step writing it (post.report) while it runs. */
export interface ReportWriter {
  readonly writer?: string
}

/** The records, with the step writing the report shown done as of now: writing it is all that
 * step does, so its report is the run's last word and apply need not write it again. */
function withWriterDone(records: Readonly<Record<string, StepRecord>>, writer: string | undefined, now: Date): Readonly<Record<string, StepRecord>> {
  const r = writer === undefined ? undefined : records[writer]
  if (r?.status !== 'running') return records
  const done: DoneRecord = { id: r.id, ...(r.kind === undefined ? {} : { kind: r.kind }), fingerprint: r.fingerprint, attempts: r.attempts, status: 'done', startedAt: r.startedAt, endedAt: now.toISOString() }
  return { ...records, [r.id]: done }
}

/** The report of a plan as its state, journal and artifacts say it ran. */
export async function currentReport(open: OpenPlan, clock: Clock, by: ReportWriter = {}): Promise<Report> {
  const state = await open.store.load()
  const now = clock.now()
  const records = withWriterDone(state?.steps ?? {}, by.writer, now)
  const known = knowledgeFrom(records, open.artifactsDir)
  const inventories = new Map(open.plan.sources.flatMap((s): [string, Inventory][] => {
    const inv = known.inventory(s.id)
    return inv === undefined ? [] : [[s.id, inv]]
  }))
  const runtime = runtimeOf(open.plan.environment.shell)
  return buildReport({
    plan: open.plan, steps: open.steps, records, journal: await open.store.readJournal(),
    verification: await readVerification(open.artifactsDir), now,
    ...(state === undefined ? {} : { planState: state.plan }),
    lab: runtime.emulator,
    downtime: { starts: open.plan.sources.map((s) => stopLegacyId(s.id)), end: startTargetId() },
    cutoverVersion: cutoverVersion(),
    // The clock this process runs on (cli/clock.ts): CUTOVER_CLOCK, else the runtime's (the lab's).
    clock: (process.env.CUTOVER_CLOCK ?? '') !== '' ? 'set' : runtime.clock !== undefined ? 'lab' : 'real',
    inventories,
  })
}

/** Writes report.md and report.html among the plan's artifacts, from what the state says now;
 * returns the Markdown file's path. */
export async function writeReports(open: OpenPlan, clock: Clock, by: ReportWriter = {}): Promise<string> {
  const report = await currentReport(open, clock, by)
  const file = await writeArtifactText(open.artifactsDir, 'report.md', reportMarkdown(report))
  await writeArtifactText(open.artifactsDir, 'report.html', reportHtml(report))
  return file
}
