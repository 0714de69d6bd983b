import { UsageError } from '../../core/errors.js'
import { formatElapsed } from '../../core/time.js'
import { parseCommandArgs } from '../args.js'
import { EXIT } from '../../core/errors.js'
import type { ExitCode } from '../../core/errors.js'
import { compareWithJournal } from '../../state/history.js'
import { approvedByOf, errorOf, markedDoneOf, timesOf } from '../../state/records.js'
import { openPlan } from '../open-plan.js'
import type { Output } from '../output.js'

export const usage = `usage: cutover status <plan.yaml> [--json]

Shows every step of the plan with its status, attempts, duration and who approved it. Read-only.`

function duration(start?: string, end?: string): string {
  return start === undefined || end === undefined ? '' : formatElapsed(Date.parse(end) - Date.parse(start))
}

export async function run(argv: readonly string[], out: Output): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('status', argv, { json: { type: 'boolean' } })
  const [file] = positionals
  if (file === undefined || positionals.length > 1) throw new UsageError('status: name one plan file')
  const open = await openPlan(file, out, 'status')
  const state = await open.store.load()
  const lock = await open.store.inspectLock()
  // "never run" only when the journal agrees: a lost state must not look like a fresh start.
  const history = compareWithJournal(state, await open.store.readJournal())
  const disagreement = history.ok ? null : history.why
  const rows = open.steps.map((s) => {
    const r = state?.steps[s.id]
    return {
      id: s.id, phase: s.phase, title: s.title, status: r?.status ?? 'pending', attempts: r?.attempts ?? 0,
      changed: r !== undefined && r.fingerprint !== s.fingerprint && r.status === 'done',
      startedAt: timesOf(r).startedAt ?? null, endedAt: timesOf(r).endedAt ?? null, approvedBy: approvedByOf(r) ?? null, markedDone: markedDoneOf(r) ?? null, error: errorOf(r) ?? null,
      approvalNote: r?.status === 'done' ? r.approvalNote ?? null : null,
      approvedAheadBy: r?.status === 'pending' ? r.preApproval?.by ?? null : null,
    }
  })
  if (values.json === true) {
    out.stdout(JSON.stringify({ formatVersion: 1, plan: open.plan.name, disagreement, lock: lock === undefined ? null : { ...lock.holder, alive: lock.alive }, steps: rows }, null, 2))
    return EXIT.ok
  }
  const width = Math.max(...rows.map((r) => r.id.length))
  out.stdout(`plan ${open.plan.name}${state === undefined && disagreement === null ? ' (never run)' : ''}${lock === undefined ? '' : ` — locked by pid ${lock.holder.pid} on ${lock.holder.host}${lock.alive ? '' : ' (stale)'}`}`)
  if (disagreement !== null) out.stdout(`the state and the journal disagree: ${disagreement}; apply refuses to run until cutover repair ${file} rebuilds the state from the journal`)
  for (const r of rows) {
    const extra = [r.markedDone ?? '', r.attempts > 1 ? `${r.attempts} attempts` : '', duration(r.startedAt ?? undefined, r.endedAt ?? undefined), r.approvedBy === null ? '' : `approved by ${r.approvedBy}${r.approvalNote === null ? '' : `: ${r.approvalNote}`}`, r.approvedAheadBy === null ? '' : `approved ahead by ${r.approvedAheadBy}`, r.changed ? 'CHANGED in the plan since it ran' : '', r.error === null ? '' : `error: ${r.error}`].filter((x) => x !== '')
    out.stdout(`${r.status.padEnd(17)} ${r.id.padEnd(width)}  ${r.title}${extra.length > 0 ? `  [${extra.join('; ')}]` : ''}`)
  }
  const done = rows.filter((r) => r.status === 'done').length
  out.stdout(`${done}/${rows.length} steps done`)
  return EXIT.ok
}
