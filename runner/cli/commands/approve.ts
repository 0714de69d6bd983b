import { approve, revokeApproval } from '../../engine/approve-and-resolve.js'
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

export const usage = `usage: cutover approve <plan.yaml> <step> [--by NAME] [--note TEXT] [--ahead | --revoke]

Records that a manual step the run waits at was done, by whom (default: your user name), when,
and what you noted; the next apply continues after it. Only a step that awaits approval is
approved, unless:
  --ahead    approve a manual step the run has not reached yet (recorded as a pre-approval;
             apply goes past it when it gets there)
  --revoke   withdraw an approval before the run went past the step
  --note     what was checked, a ticket number: shown in the status and the report
The journal and the report name the --by name as who decided.`

export async function run(argv: readonly string[], out: Output): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('approve', argv, { by: { type: 'string' }, note: { type: 'string' }, ahead: { type: 'boolean' }, revoke: { type: 'boolean' } })
  const [file, stepId] = positionals
  if (file === undefined || stepId === undefined || positionals.length > 2) throw new UsageError('approve: name the plan and the step, e.g. cutover approve plans/x.yaml decommission.3.manual --by alice')
  if (values.ahead === true && values.revoke === true) throw new UsageError('approve: --ahead and --revoke cannot be combined')
  if (values.revoke === true && values.note !== undefined) throw new UsageError('approve: --note goes with an approval, not with --revoke')
  const open = await openPlan(file, out, 'approve')
  const by = values.by ?? currentUser()
  return runChange({
    name: 'approve',
    out,
    async work() {
      const setup = { plan: { name: open.plan.name, hash: open.planHash }, store: open.store, steps: open.steps, kinds: kindNamed, clock: await clockFor(open), command: `cutover approve ${argv.join(' ')}`, who: by, onTakeover: (m: string) => out.stderr(`cutover: ${m}`) }
      if (values.revoke === true) {
        const rec = await revokeApproval(setup, stepId)
        await writeReports(open, await clockFor(open))
        out.stdout(`cutover: the approval of ${stepId} is revoked by ${by}; it is ${rec.status} again`)
        return EXIT.ok
      }
      const rec = await approve(setup, stepId, by, { ...(values.note === undefined ? {} : { note: values.note }), ahead: values.ahead === true })
      // The report follows the decision; a refused approval (thrown above) changes nothing.
      await writeReports(open, await clockFor(open))
      if (rec.status === 'pending') {
        out.stdout(`cutover: ${stepId} approved ahead by ${by} at ${rec.preApproval?.at ?? ''}; apply goes past it when it gets there (revoke with --revoke)`)
      } else {
        out.stdout(`cutover: ${stepId} approved by ${by} at ${rec.status === 'done' ? (rec.approvedAt ?? rec.endedAt) : ''}; run cutover apply ${file} to continue`)
      }
      return EXIT.ok
    },
  })
}
