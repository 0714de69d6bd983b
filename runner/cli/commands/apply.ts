import { EXIT, UsageError } from '../../core/errors.js'
import type { ExitCode } from '../../core/errors.js'
import { Secrets } from '../../plan/secrets.js'
import { parseCommandArgs } from '../args.js'
import { debugEnabled, stackWithCauses } from '../debug.js'
import { runChange } from '../lifecycle.js'
import { openPlan } from '../open-plan.js'
import type { Output } from '../output.js'
import { planCommit } from '../plan-commit.js'
import { listrRenderer } from '../render/listr.js'
import { jsonRenderer, quietRenderer } from '../render/renderer.js'
import type { RunRenderer } from '../render/renderer.js'
import { writeReports } from '../report-file.js'
import { reportId } from '../../steps/kinds/report.js'
import { clockFor, engineFor, runtimeFor } from '../run-setup.js'
import type { Runtime } from '../../core/runtime.js'
import { applySummary } from '../../engine/resume-summary.js'
import { kindNamed } from '../../steps/registry.js'
import type { ApplyResult } from '../../engine/events.js'
import { notify } from '../notify.js'
import type { NotifyEvent } from '../notify.js'
import { join } from 'node:path'
import { loadReviewed } from '../reviewed.js'

export const usage = `usage: cutover apply <plan.yaml> [--yes] [--until STEP] [--wait] [--ignore-window] [--accept-changes] [--plan-sha SHA] [--reviewed FILE] [--notify CMD] [--json|--quiet]

Runs the plan, or continues it: steps already done are skipped, an interrupted one is settled first.
  --yes             do not ask for confirmation (never approves a manual step)
  --until STEP      stop after this step
  --wait            before the downtime window, wait for it instead of pausing
  --ignore-window   start cutover steps outside the window (journaled)
  --accept-changes  keep the results of done steps whose plan entry changed, and retire the
                    records of steps the plan no longer has (journaled)
  --plan-sha SHA    the git commit of the plan, recorded in the state and the report (default:
                    asked of git when the plan file is a clean committed copy)
  --reviewed FILE   run only what was reviewed: FILE is the JSON preview of cutover plan
                    --inventory --format json --out FILE. Refused before anything runs when the
                    plan file, cutover's version, the templates or a step's fingerprint differ;
                    a step rendered from the stores (export -Scope, mappings) is compared again
                    once apply has read them, before it and before anything that changes the
                    deployment. Each difference is one line naming the step; the journal and the
                    report say which reviewed plan (sha256) the run matched
  --notify CMD      when the run pauses, fails, is interrupted or is done, run CMD through the
                    shell with the event as one JSON line on stdin ({event, plan, step, message,
                    at}; secrets redacted, the plan's \${env:NAME} variables not passed), stopped
                    after 30 s; its output goes to .cutover/<plan>/notify.log; its failure prints a
                    warning and never changes the exit code
  --json            print engine events as NDJSON; --quiet prints only the outcome
Ctrl-C stops the running step (its scripts included), records it as interrupted and exits 130;
apply again resumes. Exit 0 done, 1 failed, 2 usage, 3 paused (approval, window, resolve),
4 locked, 130 interrupted.`

export async function run(argv: readonly string[], out: Output): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('apply', argv, {
    yes: { type: 'boolean' }, until: { type: 'string' }, wait: { type: 'boolean' },
    'ignore-window': { type: 'boolean' }, 'accept-changes': { type: 'boolean' },
    json: { type: 'boolean' }, quiet: { type: 'boolean' }, 'plan-sha': { type: 'string' },
    notify: { type: 'string' }, reviewed: { type: 'string' },
  })
  const [file, ...extra] = positionals
  if (file === undefined || extra.length > 0) throw new UsageError('apply: name one plan file, e.g. cutover apply plans/lab.yaml --yes')
  if (values.notify !== undefined && values.notify.trim() === '') throw new UsageError('apply: --notify needs a command, e.g. --notify "node notify.js"')
  const open = await openPlan(file, out, 'apply')
  if (values.until !== undefined && !open.steps.some((s) => s.id === values.until)) {
    throw new UsageError(`apply: --until ${values.until} is not a step of this plan (see cutover status ${file})`)
  }
  if (values.reviewed !== undefined && values.reviewed.trim() === '') throw new UsageError('apply: --reviewed needs a file, e.g. --reviewed reviewed.json')
  // Before the prompt, the lock and the state: a reviewed plan that does not match changes nothing.
  const reviewed = values.reviewed === undefined ? undefined : await loadReviewed(values.reviewed, open)
  // What this apply will do, said before it does it: on the prompt, and on a resumed run.
  const found = await open.store.load().catch(() => undefined)
  const lockNow = await open.store.inspectLock().catch(() => undefined)
  const summary = applySummary({ plan: open.plan, steps: open.steps, kinds: kindNamed, state: found, nowMs: (await clockFor(open)).now().getTime(), holderGone: lockNow === undefined || !lockNow.alive })
  let runtime: Runtime | undefined
  let renderer: RunRenderer | undefined
  // The terminal renderer shows warnings only while their step runs; count them for the summary.
  let warnings = 0
  const secrets = new Secrets(process.env)
  let told: NotifyEvent | undefined
  // The report step's report is the last word when it was the last step to end and the run is
  // done: it shows itself done (report-file.ts), so apply does not write it again.
  let lastDone: string | undefined
  let reportFinal = false
  return runChange({
    name: 'apply',
    out,
    confirm: { yes: values.yes === true, preface: summary.map((l) => `cutover: ${l}`), question: `Run the migration plan '${open.plan.name}' now?`, withoutTerminal: 'refuse', yesMeans: 'to run the plan' },
    async work(signal) {
      // A resumed run on a terminal opens with what it found, also when --yes skipped the prompt.
      if (found !== undefined && values.yes === true && values.json !== true && values.quiet !== true && process.stderr.isTTY) for (const l of summary) out.stderr(`cutover: ${l}`)
      const commit = await planCommit(file, values['plan-sha'])
      if (commit?.unconfirmed !== undefined) out.stderr(`cutover: --plan-sha ${commit.commit} is recorded as stated by the operator, not confirmed by git: ${commit.unconfirmed}`)
      runtime = await runtimeFor(open, out, secrets)
      const r: RunRenderer = values.json === true ? jsonRenderer(out.stdout) : values.quiet === true ? quietRenderer() : listrRenderer(open.steps)
      renderer = r
      const engine = await engineFor(open, out, runtime, (e) => {
        if (e.type === 'step-warning') warnings++
        if (e.type === 'step-done') lastDone = e.id
        if (e.type === 'step-start' || e.type === 'step-failed') lastDone = undefined
        r.listener(e)
      }, `cutover apply ${argv.join(' ')}`, secrets, commit, reviewed)
      const result = await engine.apply({
        ...(values.until === undefined ? {} : { until: values.until }),
        ignoreWindow: values['ignore-window'] === true,
        acceptChanges: values['accept-changes'] === true,
        wait: values.wait === true,
        signal,
      })
      await r.finish()
      reportFinal = result.outcome === 'done' && lastDone === reportId()
      told = notifyEventOf(open.plan.name, result, (await clockFor(open)).now(), `${open.artifactsDir}/report.md`)
      if (warnings > 0 && values.json !== true) out.stdout(`cutover: ${warnings} warning(s) recorded (Import -WhatIf and others); they are listed in ${open.artifactsDir}/report.md`)
      switch (result.outcome) {
        case 'done':
          if (values.json !== true && reviewed !== undefined) out.stdout(`cutover: every step matched the reviewed plan ${reviewed.file} (sha256 ${reviewed.sha256.slice(0, 12)})`)
          if (values.json !== true) out.stdout(`cutover: ${open.plan.name} is done; report: ${open.artifactsDir}/report.md (and report.html)`)
          return EXIT.ok
        case 'paused':
          if (values.json !== true) out.stdout(`cutover: paused at ${result.step}: ${result.message}`)
          if (result.down !== undefined) out.stderr(`cutover: ${result.down.replaceAll('<plan>', file)}`)
          return EXIT.paused
        case 'refused':
          out.stderr(`cutover: error: ${result.error}`)
          if (result.down !== undefined) out.stderr(`cutover: ${result.down.replaceAll('<plan>', file)}`)
          return EXIT.failed
        case 'interrupted':
          out.stderr(`cutover: interrupted${result.step === undefined ? '' : ` during ${result.step}, which stays recorded as running`}; the lock is released. Run apply again to resume: the step is settled first`)
          return EXIT.interrupted
        case 'failed':
          out.stderr(`cutover: error: ${result.step} failed: ${result.error}`)
          out.stderr(`fix the cause and run apply again (the failed step is retried), or see cutover status ${file}`)
          if (result.down !== undefined) out.stderr(`cutover: ${result.down.replaceAll('<plan>', file)}`)
          if (debugEnabled()) out.stderr(stackWithCauses(result.cause))
          return EXIT.failed
      }
    },
    async after() {
      await renderer?.finish()
      await runtime?.close()
      // The report is kept current after every apply, whatever its outcome (written once: by the
      // report step when it ended the run).
      if (!reportFinal) await writeReports(open, await clockFor(open))
      if (values.notify !== undefined && told !== undefined) await notify(values.notify, told, { plan: open.plan, secrets, logFile: join(open.artifactsDir, 'notify.log'), out })
    },
  })
}

/** The event --notify tells of an apply's result; a run refused at the window is a failure to
 * hear of (nothing ran, the night's plan did not go on). */
export function notifyEventOf(plan: string, result: ApplyResult, now: Date, report: string): NotifyEvent {
  const at = now.toISOString()
  switch (result.outcome) {
    case 'done':
      return { event: 'done', plan, message: `${plan} is done; report: ${report}`, at }
    case 'paused':
      return { event: 'paused', plan, step: result.step, message: result.message, at }
    case 'refused':
      return { event: 'failed', plan, step: result.step, message: result.error, at }
    case 'failed':
      return { event: 'failed', plan, step: result.step, message: `${result.step} failed: ${result.error}`, at }
    case 'interrupted':
      return { event: 'interrupted', plan, ...(result.step === undefined ? {} : { step: result.step }), message: `interrupted${result.step === undefined ? '' : ` during ${result.step}, which stays recorded as running`}`, at }
  }
}
