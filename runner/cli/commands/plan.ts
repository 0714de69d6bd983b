import { namingFile } from '../../core/file-problem.js'
import { replaceFile } from '../../state/durable-fs.js'
import { buildPreview } from '../../compile/preview.js'
import { Secrets } from '../../plan/secrets.js'
import { ENV_REF } from '../../plan/rules/secrets.js'
import type { RunState } from '../../state/types.js'
import { UsageError } from '../../core/errors.js'
import type { Inventory } from '../../sql/inventory.js'
import { takeInventory } from '../../sql/inventory.js'
import { lintInventories } from '../../sql/lint.js'
import { runtimeFor } from '../run-setup.js'
import { renderFrame, renderScript, templatesDigest } from '../../runtimes/powershell/script.js'
import type { PreviewReview } from '../../compile/preview.js'
import { sha256Hex } from '../../core/hash.js'
import { artifactText } from '../../steps/artifacts.js'
import type { RenderKnowledge } from '../../steps/define.js'
import { cutoverVersion } from '../../version.js'
import { platformOf, runtimeOf } from '../../runtimes/index.js'
import { isStepOf } from '../../steps/define.js'
import { inventoryKind } from '../../steps/kinds/inventory.js'
import { lintKind } from '../../steps/kinds/lint.js'
import type { LintRules } from '../../plan/room-rules.js'
import { oneOf, parseCommandArgs } from '../args.js'
import { runClock } from '../clock.js'
import { EXIT } from '../../core/errors.js'
import type { ExitCode } from '../../core/errors.js'
import { previewMarkdown } from '../format/preview-markdown.js'
import { previewText } from '../format/preview-text.js'
import { knowledgeFrom } from '../preview-knowledge.js'
import { ranDifferences } from '../ran-inputs.js'
import { againstRef } from '../against-ref.js'
import { openMssqlStateStore, openPlanOnly } from '../open-plan.js'
import type { Output } from '../output.js'

export const usage = `usage: cutover plan <plan.yaml> [--format text|markdown|json] [--scripts] [--against REF] [--out FILE] [--inventory] [--detailed-exitcode]

The dry run: every step in order with its status from the state, the exact PowerShell script or
read-only SQL it will run, the downtime window in the plan's zone and in UTC, and the validation
warnings. Changes nothing.
  --format markdown   a pull-request comment (under 60,000 characters): rooms and steps tables,
                      gantt chart, each step's commands collapsed, the scripts' frame once
  --scripts           every script and query whole (text, markdown; markdown then has no limit)
  --format json       a stable structure with formatVersion (see README); with --out, the
                      reviewed plan that cutover apply --reviewed FILE runs exactly
                      (each step's fingerprint, script and its sha256, cutover's version, the
                      templates' digest, the plan file's sha256, the inventories used)
  --against REF       the steps that differ from the plan at the git ref REF (e.g. origin/main),
                      with their changed inputs; a plan REF does not have: every step is new
  --inventory         read the stores now (read-only, the preflight's queries): exact -Scope,
                      mappings and forecast, and the preflight lint; needs the connections
  --detailed-exitcode 0 when nothing is left to run, 10 when steps remain
Exit 0 (or 10), 1 invalid plan, 2 usage.`

/**
 * The state the preview shows. A SQL Server state store is read when its connection's variables
 * are set here; otherwise (a CI job reviewing a pull request has no such secret, and needs none)
 * every step shows as pending and a note says why. The preview never fails for want of the state.
 */
async function previewState(open: Awaited<ReturnType<typeof openPlanOnly>>, out: Output): Promise<RunState | undefined> {
  if (open.stateReadable) return open.store.load()
  const connection = open.plan.state.connection ?? ''
  const missing = [...connection.matchAll(ENV_REF)].map((m) => m[1] ?? '').filter((name) => (process.env[name] ?? '') === '')
  if (missing.length > 0) {
    out.stderr(`cutover: note: the state is kept in SQL Server and \${env:${missing.join('}, ${env:')}} is not set here; every step shows as pending`)
    return undefined
  }
  const secrets = new Secrets(process.env)
  const store = await openMssqlStateStore(open, connection, secrets)
  try {
    return await store.load()
  } catch (e) {
    out.stderr(`cutover: note: the state in SQL Server could not be read (${secrets.redact(e instanceof Error ? e.message : String(e))}); every step shows as pending`)
    return undefined
  } finally {
    await store.close()
  }
}

/**
 * `--inventory`: the stores as they are now, read with the same read-only queries as the preflight
 * (the lab's SQLite stores, or SQL Server through each store's connection), so that the export's
 * -Scope, the mappings and the forecast are exact and the lint shows what Import will stumble
 * on. Nothing is written: the baseline the run compares against is the preflight step's.
 */
async function freshInventories(open: Awaited<ReturnType<typeof openPlanOnly>>, out: Output): Promise<{ sources: Map<string, Inventory>; target: Inventory | undefined }> {
  const { plan } = open
  const secrets = new Secrets(process.env)
  // Read-only: a lab that does not exist is not created for a preview.
  const runtime = await runtimeFor(open, out, secrets, { readOnly: true })
  try {
    const sources = new Map<string, Inventory>()
    // The preflight inventory steps' own inputs (cutoff, SIP domain): exactly what apply will read.
    for (const step of open.steps) {
      if (!isStepOf(inventoryKind, step) || step.input.purpose !== 'preflight') continue
      const { source, cutoff, sipDomain } = step.input
      out.stderr(`cutover: reading the inventory of ${source} (read-only)`)
      sources.set(source, await takeInventory(await runtime.sql({ kind: 'source', id: source }), { cutoff, sipDomain }))
    }
    // Without a target connection there is no target inventory, and the lint cannot check that
    // the target is empty (the lab's stores need no connection).
    const target = plan.target.connection === undefined && runtimeOf(plan.environment.shell).storesNeedConnection ? undefined : await takeInventory(await runtime.sql({ kind: 'target' }), { cutoff: null })
    return { sources, target }
  } finally {
    await runtime.close()
  }
}

/** The room rules the preflight lint step holds: the lint of `--inventory` checks the same. */
function lintRules(steps: Awaited<ReturnType<typeof openPlanOnly>>['steps']): LintRules {
  const lint = steps.find((s) => isStepOf(lintKind, s))
  if (lint === undefined) throw new Error('cutover: the plan compiled without its preflight lint step')
  return lint.input.rules
}

/** `--inventory`: the inventories just read, with the sha256 their artifact would have. */
function freshKnowledge(sources: ReadonlyMap<string, Inventory>): RenderKnowledge {
  const digests = new Map([...sources].map(([id, inv]) => [id, sha256Hex(artifactText(inv))]))
  return {
    inventory: (source) => sources.get(source),
    inventoryDigest(source) {
      const sha256 = digests.get(source)
      return sha256 === undefined ? undefined : { sha256, from: 'plan --inventory' }
    },
  }
}

/** What makes the JSON preview a reviewed plan (compile/reviewed-plan.ts reads it back). */
function reviewOf(open: Awaited<ReturnType<typeof openPlanOnly>>, known: RenderKnowledge): PreviewReview {
  return {
    cutoverVersion: cutoverVersion(),
    templatesDigest: templatesDigest(),
    planFile: { path: open.file, sha256: open.planHash },
    inventories: open.plan.sources.flatMap((s) => {
      const d = known.inventoryDigest?.(s.id)
      return d === undefined ? [] : [{ source: s.id, sha256: d.sha256, from: d.from }]
    }),
  }
}

export async function run(argv: readonly string[], out: Output): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('plan', argv, {
    format: { type: 'string' }, scripts: { type: 'boolean' }, out: { type: 'string' }, 'detailed-exitcode': { type: 'boolean' }, inventory: { type: 'boolean' }, against: { type: 'string' },
  })
  const format = oneOf('plan', 'format', values.format, ['text', 'markdown', 'json'] as const, 'text')
  const [file] = positionals
  if (file === undefined || positionals.length > 1) throw new UsageError('plan: name one plan file, e.g. cutover plan plans/lab.yaml')
  const open = await openPlanOnly(file, out, 'plan')
  // What a pull request changes: the steps against the plan at a git ref (its base). Read first,
  // so that a wrong ref stops the command before any store is read.
  const against = values.against === undefined ? undefined : await againstRef(file, values.against, open.steps)
  const state = await previewState(open, out)
  const fresh = values.inventory === true ? await freshInventories(open, out) : undefined
  const recorded = knowledgeFrom(state?.steps ?? {}, open.artifactsDir)
  const { emulator } = runtimeOf(open.plan.environment.shell)
  const known: RenderKnowledge = fresh === undefined ? recorded : freshKnowledge(fresh.sources)
  const preview = buildPreview({
    plan: open.plan, steps: open.steps, platform: platformOf(open.plan), emulator, records: state?.steps ?? {}, findings: open.findings,
    known,
    // What makes the preview a reviewed plan: shown by the JSON and the Markdown, not the text.
    ...(format === 'text' ? {} : { review: reviewOf(open, known) }),
    ...(fresh === undefined ? {} : { lint: lintInventories(lintRules(open.steps), fresh.sources, fresh.target) }),
    now: runClock(open.plan).now(),
    renderScript: (step, commands) => renderScript(step, open.plan, commands),
    renderFrame: (step) => renderFrame(step, open.plan),
  })
  // What changed in each step flagged changed, against the inputs that ran (from git).
  const ran = await ranDifferences(file, open.steps, state)
  const withRan = ran.size === 0 ? preview : { ...preview, steps: preview.steps.map((s) => { const d = ran.get(s.id); return d === undefined ? s : { ...s, changedInputs: d } }) }
  const shown = against === undefined ? withRan : { ...withRan, against }
  if (format === 'json' && values.out !== undefined) {
    // A reviewed plan rendered without an inventory its steps need will not match once apply reads the store.
    const blind = preview.steps.filter((s) => s.inventoryOf?.some((i) => !i.known) === true).map((s) => s.id)
    if (blind.length > 0) out.stderr(`cutover: note: ${blind.join(', ')} ${blind.length === 1 ? 'is' : 'are'} rendered without the inventory of the store: apply --reviewed compares ${blind.length === 1 ? 'it' : 'them'} again once it has read the stores and refuses what differs; plan with --inventory for a reviewed plan of the exact commands`)
  }
  const scripts = values.scripts === true
  const text = format === 'json' ? JSON.stringify(shown, null, 2) + '\n' : format === 'markdown' ? previewMarkdown(shown, emulator, { scripts }) : previewText(shown, emulator, scripts)
  if (values.out !== undefined) {
    const target = values.out
    await namingFile('write the preview to', target, () => replaceFile(target, text))
    out.stderr(`cutover: preview written to ${values.out}${format === 'json' ? ` (a reviewed plan: cutover apply ${file} --reviewed ${values.out} runs exactly this)` : ''}`)
  } else {
    out.stdout(text.replace(/\n$/, ''))
  }
  if (values['detailed-exitcode'] === true) return preview.remaining > 0 ? EXIT.stepsRemain : EXIT.ok
  return EXIT.ok
}
