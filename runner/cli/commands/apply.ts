import { createInterface } from 'node:readline/promises'
import { UsageError } from '../../core/errors.js'
import { parseCommandArgs } from '../args.js'
import { EXIT } from '../exit-codes.js'
import type { ExitCode } from '../exit-codes.js'
import { openPlan } from '../open-plan.js'
import type { Output } from '../output.js'
import { listrRenderer } from '../render/listr.js'
import { jsonRenderer, quietRenderer } from '../render/renderer.js'
import type { RunRenderer } from '../render/renderer.js'
import { writeReports } from '../report-file.js'
import { clockFor, engineFor, runtimeFor } from '../run-setup.js'
import { Secrets } from '../../plan/secrets.js'
import { planCommit } from '../plan-commit.js'

export const usage = `usage: cutover apply <plan.yaml> [--yes] [--until STEP] [--wait] [--ignore-window] [--accept-changes] [--plan-sha SHA] [--json|--quiet]

Runs the plan, or continues it: steps already done are skipped, an interrupted one is settled first.
  --yes             do not ask for confirmation (never approves a manual step)
  --until STEP      stop after this step
  --wait            before the downtime window, wait for it instead of pausing
  --ignore-window   start cutover steps outside the window (journaled)
  --accept-changes  keep the results of done steps whose plan entry changed (journaled)
  --plan-sha SHA    the git commit of the plan, recorded in the state and the report (default:
                    asked of git when the plan file is a clean committed copy)
  --json            print engine events as NDJSON; --quiet prints only the outcome
Exit 0 done, 1 failed, 2 usage, 3 paused (approval, window, resolve), 4 locked.`

async function confirm(planName: string, out: Output): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr })
  try {
    const answer = await rl.question(`Run the migration plan '${planName}' now? Type yes to continue: `)
    return answer.trim().toLowerCase() === 'yes'
  } finally {
    rl.close()
    out.stderr('')
  }
}

export async function run(argv: readonly string[], out: Output): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('apply', argv, {
    yes: { type: 'boolean' }, until: { type: 'string' }, wait: { type: 'boolean' },
    'ignore-window': { type: 'boolean' }, 'accept-changes': { type: 'boolean' },
    json: { type: 'boolean' }, quiet: { type: 'boolean' }, 'plan-sha': { type: 'string' },
  })
  const [file, ...extra] = positionals
  if (file === undefined || extra.length > 0) throw new UsageError('apply: name one plan file, e.g. cutover apply plans/lab.yaml --yes')
  const open = await openPlan(file, out, 'apply')
  if (values.until !== undefined && !open.steps.some((s) => s.id === values.until)) {
    throw new UsageError(`apply: --until ${values.until} is not a step of this plan (see cutover status ${file})`)
  }
  if (values.yes !== true) {
    if (!process.stdin.isTTY) throw new UsageError('apply: no terminal to ask for confirmation; pass --yes to run the plan')
    if (!(await confirm(open.plan.name, out))) {
      out.stderr('cutover: nothing was done')
      return EXIT.usage
    }
  }
  const commit = await planCommit(file, values['plan-sha'])
  const secrets = new Secrets(process.env)
  const runtime = await runtimeFor(open, out, secrets)
  // Ctrl-C: stop what runs on the host (a PowerShell script and its children) before leaving.
  // The step stays recorded as running; the next apply settles it like any interruption.
  const onInterrupt = () => {
    out.stderr('cutover: interrupted; stopping the running step (apply again to resume)')
    void runtime.close().finally(() => process.exit(130))
  }
  process.once('SIGINT', onInterrupt)
  const renderer: RunRenderer = values.json === true ? jsonRenderer(out.stdout) : values.quiet === true ? quietRenderer() : listrRenderer(open.steps)
  // The terminal renderer shows warnings only while their step runs; count them for the summary.
  let warnings = 0
  const engine = await engineFor(open, runtime, (e) => {
    if (e.type === 'step-warning') warnings++
    renderer.listener(e)
  }, `cutover apply ${argv.join(' ')}`, secrets, commit)
  try {
    const result = await engine.apply({
      ...(values.until === undefined ? {} : { until: values.until }),
      ignoreWindow: values['ignore-window'] === true,
      acceptChanges: values['accept-changes'] === true,
      wait: values.wait === true,
    })
    await renderer.finish()
    // The report is kept current after every apply, whatever its outcome.
    await writeReports(open, await clockFor(open))
    if (warnings > 0 && values.json !== true) out.stdout(`cutover: ${warnings} warning(s) recorded (Import -WhatIf and others); they are listed in ${open.artifactsDir}/report.md`)
    if (result.outcome === 'done') {
      if (values.json !== true) out.stdout(`cutover: ${open.plan.name} is done; report: ${open.artifactsDir}/report.md (and report.html)`)
      return EXIT.ok
    }
    if (result.outcome === 'paused') {
      if (values.json !== true) out.stdout(`cutover: paused at ${result.pausedAt ?? '?'}: ${result.message ?? ''}`)
      return EXIT.paused
    }
    if (result.refused === true) {
      out.stderr(`cutover: error: ${result.error ?? ''}`)
      return EXIT.failed
    }
    out.stderr(`cutover: error: ${result.failedStep ?? 'a step'} failed: ${result.error ?? ''}`)
    out.stderr(`fix the cause and run apply again (the failed step is retried), or see cutover status ${file}`)
    return EXIT.failed
  } finally {
    process.removeListener('SIGINT', onInterrupt)
    await renderer.finish()
    await runtime.close()
  }
}
