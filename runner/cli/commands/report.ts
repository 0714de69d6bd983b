import { namingFile } from '../../core/file-problem.js'
import { replaceFile } from '../../state/durable-fs.js'
import { UsageError } from '../../core/errors.js'
import { reportHtml } from '../../report/html.js'
import { reportMarkdown } from '../../report/markdown.js'
import { oneOf, parseCommandArgs } from '../args.js'
import { EXIT } from '../../core/errors.js'
import type { ExitCode } from '../../core/errors.js'
import { openPlan } from '../open-plan.js'
import type { Output } from '../output.js'
import { currentReport } from '../report-file.js'
import { clockFor } from '../run-setup.js'

export const usage = `usage: cutover report <plan.yaml> [--format markdown|html|json] [--out FILE]

The run report, rebuilt from the state, the journal and the artifacts: outcome, downtime taken
against the window with a timeline, every step with attempts and durations, the verification
table (legacy and Persistent Chat counts per room), warnings, and the decisions the journal
recorded (approvals, resolve, --accept-changes, --ignore-window). Changes nothing.

--format html gives one self-contained page (inline styles and SVG timeline, no script, nothing
loaded from the network) to open in a browser or attach to a change record.`

export async function run(argv: readonly string[], out: Output): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('report', argv, { format: { type: 'string' }, out: { type: 'string' } })
  const format = oneOf('report', 'format', values.format, ['markdown', 'html', 'json'] as const, 'markdown')
  const [file] = positionals
  if (file === undefined || positionals.length > 1) throw new UsageError('report: name one plan file')
  const open = await openPlan(file, out, 'report')
  const report = await currentReport(open, await clockFor(open))
  const text = format === 'json' ? JSON.stringify(report, null, 2) + '\n' : format === 'html' ? reportHtml(report) : reportMarkdown(report)
  if (values.out === undefined) out.stdout(text.replace(/\n$/, ''))
  else {
    const target = values.out
    await namingFile('write the report to', target, () => replaceFile(target, text))
    out.stderr(`cutover: report written to ${values.out}`)
  }
  return EXIT.ok
}
