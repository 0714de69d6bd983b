import { EXIT, UsageError } from '../../core/errors.js'
import type { ExitCode } from '../../core/errors.js'
import type { Runtime } from '../../core/runtime.js'
import { planRollback } from '../../engine/guards.js'
import { describeLoss, lossDetail, rollbackLoss } from '../../engine/rollback-loss.js'
import type { Totals } from '../../engine/rollback-loss.js'
import { RefusedError } from '../../engine/errors.js'
import { Secrets } from '../../plan/secrets.js'
import { storeTotals } from '../../sql/totals.js'
import { kindNamed } from '../../steps/registry.js'
import { parseCommandArgs } from '../args.js'
import { runChange } from '../lifecycle.js'
import { openPlan } from '../open-plan.js'
import type { OpenPlan } from '../open-plan.js'
import type { Output } from '../output.js'
import { jsonRenderer, quietRenderer } from '../render/renderer.js'
import { writeReports } from '../report-file.js'
import { clockFor, engineFor, runtimeFor } from '../run-setup.js'
import { notify } from '../notify.js'
import type { NotifyEvent } from '../notify.js'
import { join } from 'node:path'

export const usage = `usage: cutover rollback <plan.yaml> [--dry-run] [--yes] [--discard-new-content] [--notify CMD] [--json]

Undoes the finished cutover steps, newest first: starts the legacy services again, removes the
new endpoint, re-enables the lookup account, restores the Persistent Chat backup. Every cutover
step is then pending again. Refused once decommissioning has begun (read from the state, even
for steps the plan no longer lists).
First it shows what it will do and what will be lost: which backup it restores, taken when, and
how many rooms and messages the Persistent Chat store gained since (counted in the store now).
  --dry-run               show that plan only; change nothing
  --discard-new-content   required once the new clients were enabled: the restore deletes what
                          users posted since, and no later apply brings it back
  --yes                   do not ask (without a terminal, required)
  --notify CMD            when the rollback is done, fails or is interrupted, run CMD with the
                          event as JSON on stdin, as apply --notify does
Ctrl-C stops after the undo that is running and exits 130.`

/** The target store's rooms and messages now, or why they could not be counted. */
async function countTarget(open: OpenPlan, out: Output, secrets: Secrets): Promise<Totals | { readonly error: string }> {
  let runtime: Runtime | undefined
  try {
    runtime = await runtimeFor(open, out, secrets, { readOnly: true })
    return await storeTotals(await runtime.sql({ kind: 'target' }))
  } catch (e) {
    return { error: secrets.redact(e instanceof Error ? e.message : String(e)) }
  } finally {
    await runtime?.close()
  }
}

export async function run(argv: readonly string[], out: Output): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('rollback', argv, { yes: { type: 'boolean' }, json: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, 'discard-new-content': { type: 'boolean' }, notify: { type: 'string' } })
  const [file] = positionals
  if (file === undefined || positionals.length > 1) throw new UsageError('rollback: name one plan file')
  if (values.notify !== undefined && values.notify.trim() === '') throw new UsageError('rollback: --notify needs a command, e.g. --notify "node notify.js"')
  const dryRun = values['dry-run'] === true
  if (!dryRun && values.yes !== true && process.stdin.isTTY !== true) throw new UsageError('rollback: no terminal to ask for confirmation; pass --yes')
  const open = await openPlan(file, out, 'rollback')
  // Read-only, before asking: what would be undone (or why rollback refuses), and what it costs.
  const state = await open.store.load()
  const toUndo = planRollback(state, open.steps, kindNamed)
  const secrets = new Secrets(process.env)
  const loss = rollbackLoss(state ?? { formatVersion: 1, plan: { name: open.plan.name, hash: open.planHash }, steps: {}, createdAt: '', updatedAt: '' }, toUndo, await countTarget(open, out, secrets))
  const planLines = [
    ...(toUndo.length === 0 ? ['cutover: nothing to undo; every cutover step would be set pending again'] : ['cutover rollback will undo, newest first:', ...toUndo.map((s) => `  ${s.id}  ${s.title}`)]),
    ...describeLoss(loss),
  ]
  if (dryRun) {
    if (values.json === true) out.stdout(JSON.stringify({ formatVersion: 1, plan: open.plan.name, undo: toUndo.map((s) => s.id), loss }, null, 2))
    else {
      for (const line of planLines) out.stdout(line)
      out.stdout(`cutover: dry run, nothing was changed${loss.clientsEnabledAt === undefined ? '' : '; rolling back needs --discard-new-content'}`)
    }
    return EXIT.ok
  }
  if (loss.clientsEnabledAt !== undefined && values['discard-new-content'] !== true) {
    for (const line of planLines) out.stderr(line)
    throw new RefusedError(`the new clients were enabled at ${loss.clientsEnabledAt}: rolling back deletes what users posted since. Review the above (cutover rollback ${file} --dry-run), then run rollback again with --discard-new-content if that is what you decide`)
  }
  let runtime: Runtime | undefined
  let told: NotifyEvent | undefined
  const tell = async (event: NotifyEvent['event'], message: string, step?: string) => {
    told = { event, plan: open.plan.name, ...(step === undefined ? {} : { step }), message, at: (await clockFor(open)).now().toISOString() }
  }
  return runChange({
    name: 'rollback',
    out,
    confirm: {
      yes: values.yes === true,
      preface: planLines,
      question: `Roll back '${open.plan.name}'?`,
      withoutTerminal: 'refuse',
    },
    async work(signal) {
      // Not asked (--yes): what it costs is still said, before anything is undone.
      if (values.yes === true && values.json !== true) for (const line of describeLoss(loss)) out.stdout(`cutover: ${line}`)
      runtime = await runtimeFor(open, out, secrets)
      const renderer = values.json === true ? jsonRenderer(out.stdout) : quietRenderer()
      const engine = await engineFor(open, out, runtime, renderer.listener, `cutover rollback ${argv.join(' ')}`, secrets)
      let result: Awaited<ReturnType<typeof engine.rollback>>
      try {
        result = await engine.rollback({ signal, discardNewContent: values['discard-new-content'] === true, loss: lossDetail(loss) })
      } catch (e) {
        await tell('failed', `rollback failed: ${e instanceof Error ? e.message : String(e)}`)
        throw e
      }
      if (values.json !== true) for (const id of result.undone) out.stdout(`undone: ${id}`)
      if (result.outcome === 'interrupted') {
        await tell('interrupted', `rollback interrupted after undoing ${result.undone.length} step(s)`, result.step)
        out.stderr(`cutover: rollback interrupted after undoing ${result.undone.length} step(s); run rollback again to continue`)
        return EXIT.interrupted
      }
      await tell('done', `rolled back ${result.undone.length} step(s); ${result.reset.length} cutover and post step(s) are pending again`)
      if (values.json !== true) out.stdout(`cutover: rolled back ${result.undone.length} step(s); ${result.reset.length} cutover and post step(s) are pending again`)
      return EXIT.ok
    },
    async after() {
      await runtime?.close()
      await writeReports(open, await clockFor(open))
      if (values.notify !== undefined && told !== undefined) await notify(values.notify, told, { plan: open.plan, secrets, logFile: join(open.artifactsDir, 'notify.log'), out })
    },
  })
}
