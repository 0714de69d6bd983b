import { approve } from '../../engine/approve-and-resolve.js'
import { UsageError } from '../../core/errors.js'
import { currentUser } from '../../state/holder.js'
import { kindNamed } from '../../steps/registry.js'
import { runChange } from '../lifecycle.js'
import { writeReports } from '../report-file.js'
import { parseCommandArgs } from '../args.js'
import { clockFor } from '../run-setup.js'
import { EXIT } from '../../core/errors.js'
import type { ExitCode } from '../../core/errors.js'
import { openPlan } from '../open-plan.js'
import type { Output } from '../output.js'

export const usage = `usage: cutover approve <plan.yaml> <step> [--by NAME]

Records that a manual step was done, by whom (default: your user name) and when; the next apply
continues after it.`

export async function run(argv: readonly string[], out: Output): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('approve', argv, { by: { type: 'string' } })
  const [file, stepId] = positionals
  if (file === undefined || stepId === undefined || positionals.length > 2) throw new UsageError('approve: name the plan and the step, e.g. cutover approve plans/x.yaml decommission.3.manual --by alice')
  const open = await openPlan(file, out, 'approve')
  const by = values.by ?? currentUser()
  return runChange({
    name: 'approve',
    out,
    async work() {
      const rec = await approve({ plan: { name: open.plan.name, hash: open.planHash }, store: open.store, steps: open.steps, kinds: kindNamed, clock: await clockFor(open), command: `cutover approve ${argv.join(' ')}` }, stepId, by)
      // The report follows the decision; a refused approval (thrown above) changes nothing.
      await writeReports(open, await clockFor(open))
      out.stdout(`cutover: ${stepId} approved by ${by} at ${rec.status === 'done' ? (rec.approvedAt ?? rec.endedAt) : ''}; run cutover apply ${file} to continue`)
      return EXIT.ok
    },
  })
}
