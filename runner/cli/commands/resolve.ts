import { resolveStep } from '../../engine/approve-and-resolve.js'
import { UsageError } from '../../core/errors.js'
import { kindNamed } from '../../steps/registry.js'
import { runChange } from '../lifecycle.js'
import { writeReports } from '../report-file.js'
import { parseCommandArgs } from '../args.js'
import { clockFor } from '../run-setup.js'
import { EXIT } from '../../core/errors.js'
import type { ExitCode } from '../../core/errors.js'
import { openPlan } from '../open-plan.js'
import type { Output } from '../output.js'

export const usage = `usage: cutover resolve <plan.yaml> <step> --done|--retry|--rerun

Settles a step that was interrupted mid-run and cannot safely run again by itself:
  --done   it completed (you checked); apply continues after it. A failed step marked done is
           shown in status and the reports as "marked done by <you> after a failure"
  --retry  run it again (an import is first rolled back to its pre-import backup)
  --rerun  run a done step again on purpose, e.g. an export whose file was damaged (journaled;
           refused for manual, irreversible and other steps that cannot run twice)`

export async function run(argv: readonly string[], out: Output): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('resolve', argv, { done: { type: 'boolean' }, retry: { type: 'boolean' }, rerun: { type: 'boolean' } })
  const [file, stepId] = positionals
  if (file === undefined || stepId === undefined || positionals.length > 2) throw new UsageError('resolve: name the plan and the step')
  const chosen = (['done', 'retry', 'rerun'] as const).filter((h) => values[h] === true)
  const [how] = chosen
  if (how === undefined || chosen.length > 1) throw new UsageError('resolve: say one of --done, --retry or --rerun')
  const open = await openPlan(file, out, 'resolve')
  return runChange({
    name: 'resolve',
    out,
    async work() {
      await resolveStep({ plan: { name: open.plan.name, hash: open.planHash }, store: open.store, steps: open.steps, kinds: kindNamed, clock: await clockFor(open), command: `cutover resolve ${argv.join(' ')}`, onTakeover: (m) => out.stderr(`cutover: ${m}`) }, stepId, how)
      // The report follows the decision; a refused one (thrown above) changes nothing.
      await writeReports(open, await clockFor(open))
      out.stdout(`cutover: ${stepId} marked ${how === 'done' ? 'done' : how === 'retry' ? 'for retry' : 'to run again'}; run cutover apply ${file} to continue`)
      return EXIT.ok
    },
  })
}
