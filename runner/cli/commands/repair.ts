import { UsageError } from '../../core/errors.js'
import { EXIT } from '../../core/errors.js'
import type { ExitCode } from '../../core/errors.js'
import { repairState } from '../../engine/repair.js'
import { parseCommandArgs } from '../args.js'
import { runChange } from '../lifecycle.js'
import { openPlan } from '../open-plan.js'
import type { Output } from '../output.js'
import { writeReports } from '../report-file.js'
import { clockFor } from '../run-setup.js'

export const usage = `usage: cutover repair <plan.yaml>

Rebuilds the run's state from its journal when the two disagree: a state file deleted or
truncated, restored from an older copy, a journal emptied or edited (apply refuses to run until
they agree). The journal decides every step it records; a step only the state still records is
kept and written back to the journal. Nothing runs on the servers. Journaled; changes nothing
when the state and the journal already agree.`

export async function run(argv: readonly string[], out: Output): Promise<ExitCode> {
  const { positionals } = parseCommandArgs('repair', argv, {})
  const [file] = positionals
  if (file === undefined || positionals.length > 1) throw new UsageError('repair: name one plan file, e.g. cutover repair plans/lab.yaml')
  const open = await openPlan(file, out, 'repair')
  return runChange({
    name: 'repair',
    out,
    async work() {
      const clock = await clockFor(open)
      const result = await repairState({ plan: { name: open.plan.name, hash: open.planHash }, store: open.store, steps: open.steps, clock, command: `cutover repair ${argv.join(' ')}` })
      if (result.outcome === 'consistent') {
        out.stdout(`cutover: the state and the journal of ${open.plan.name} agree; nothing to repair`)
        return EXIT.ok
      }
      await writeReports(open, clock)
      if (result.replacedUnreadable !== undefined) out.stdout(`cutover: replaced the unreadable state (it ${result.replacedUnreadable})`)
      for (const d of result.disagreements) out.stdout(`  ${d.step}: state ${d.state === 'absent' ? 'had no record' : `said ${d.state}`}, journal ${d.journal === 'absent' ? 'had no entry' : `says ${d.journal}`}`)
      if (result.restoredToJournal.length > 0) out.stdout(`cutover: kept what only the state recorded and wrote it back to the journal: ${result.restoredToJournal.join(', ')}`)
      if (result.fingerprintsFromPlan.length > 0) out.stdout(`cutover: the journal did not record the plan entries of ${result.fingerprintsFromPlan.join(', ')}; taken from the plan as it is now`)
      out.stdout(`cutover: rebuilt the state of ${open.plan.name} from the journal; check it with cutover status ${file}, then run cutover apply ${file}`)
      return EXIT.ok
    },
  })
}
