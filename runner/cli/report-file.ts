import { readVerification } from '../report/load.js'
import { buildReport } from '../report/model.js'
import type { Report } from '../report/model.js'
import type { Clock } from '../core/clock.js'
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

