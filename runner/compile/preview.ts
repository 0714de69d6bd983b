import { windowAt } from '../core/window.js'
import type { Finding } from '../plan/findings.js'
import { formatLocal } from '../core/time.js'
import type { Plan } from '../plan/types.js'
import { approvedByOf, timesOf } from '../state/records.js'
import type { StepRecord, StepStatus } from '../state/types.js'
import type { Platform } from '../core/platform.js'
import type { Phase, RenderedAction, Step } from '../core/step.js'
import type { RenderKnowledge } from '../steps/define.js'
import { kindNamed } from '../steps/registry.js'
import type { Command } from '../core/command.js'
import type { LintFinding } from '../sql/lint.js'
import { forecastStep } from './estimates.js'
import { describePlacement } from '../steps/placement.js'
import type { Environment } from '../plan/types.js'
import { previewScope } from './preview-scope.js'
import type { PreviewScope } from './preview-scope.js'
import type { InputChange } from './input-diff.js'
import type { AgainstRef } from './step-changes.js'
import { runDigest } from './run-text.js'

/** Version of the JSON preview (`cutover plan --format json`); bumped on any incompatible change. */
export const PREVIEW_FORMAT_VERSION = 1

export interface PreviewAction {
  readonly type: RenderedAction['type']
  /** The exact PowerShell script for `commands` actions (what the PowerShell host runs). */
  readonly script?: string
  /** The script without the frame every script shares (Preview.frame): the step's own commands.
   * Absent when the script is not so framed; it is then shown whole. */
  readonly body?: string
  readonly commands?: readonly Command[]
  /** For `commands` actions, one line per command: the machine it runs on, how it gets there and
   * authenticates, what it reaches from there, and whether Windows refuses it (the second hop). */
  readonly placements?: readonly string[]
  readonly store?: string
  readonly queries?: readonly string[]
  readonly backupTo?: string
  readonly instructions?: string
  readonly file?: string
  /** What the preview cannot show exactly yet (`note` actions). */
  readonly note?: string
}

export interface PreviewStep {
  readonly id: string
  readonly phase: Phase
  readonly kind: string
  readonly title: string
  readonly status: StepStatus
  readonly attempts: number
  /** The plan changed for this step since it ran (apply will stop on it). */
  readonly changed: boolean
  /** For a changed step: its inputs against the ones that ran, or why they are not known. */
  readonly changedInputs?: { readonly changes: readonly InputChange[]; readonly commit: string } | { readonly unknown: string }
  readonly approvedBy?: string
  /** How long it took when it ran, in milliseconds. */
  readonly durationMs?: number
  /** Forecast for the cutover steps: minutes and where the figure comes from. */
  readonly forecast?: { readonly minutes: number; readonly basis: 'recorded' | 'inventory' | 'default' }
  readonly actions: readonly PreviewAction[]
  /** Hash of kind and input: what apply compares with the state, and apply --reviewed with this. */
  readonly fingerprint: string
  /** sha256 of what the step runs (compile/run-text.ts runText of its actions). */
  readonly runsDigest: string
  /** The sources whose inventory the step's commands are rendered from (export -Scope, mappings),
   * and whether that inventory was known here; apply --reviewed compares such a step once it has
   * read the inventory again. */
  readonly inventoryOf?: readonly { readonly source: string; readonly known: boolean }[]
}

/** What a reviewed plan records beside the steps (`plan --format json`), for `apply --reviewed`:
 * which cutover and templates rendered it, from which plan file and inventories. */
export interface PreviewReview {
  readonly cutoverVersion: string
  /** sha256 over the templates' names and texts (runtimes/powershell/script.ts templatesDigest). */
  readonly templatesDigest: string
  /** The plan file as named on the command line, and the sha256 of its bytes. */
  readonly planFile: { readonly path: string; readonly sha256: string }
  /** The inventories the steps' commands were rendered from: the artifact's sha256 and its
   * origin (the step that recorded it, or `plan --inventory`). */
  readonly inventories: readonly { readonly source: string; readonly sha256: string; readonly from: string }[]
}

export interface PreviewWindow {
  readonly timezone: string
  readonly startLocal: string
  readonly endLocal: string
  readonly startUtc: string
  readonly endUtc: string
  /** The last instant a cutover step may start: end minus margin. */
  readonly lastStartUtc: string
  readonly margin: string
  readonly state: 'before' | 'open' | 'closing' | 'after'
  /** Minutes until the window opens (0 when open or past). */
  readonly opensInMinutes: number
}

export interface PreviewForecast {
  /** Minutes the cutover steps are expected to take, in total. */
  readonly minutes: number
  /** Minutes the window allows them: from its start to end - margin, plus the last step. */
  readonly allowedMinutes: number
  readonly fits: boolean
}

/** What every script of the plan has around its step's own commands, shown once: `head` (the
 * header line naming the step, the preamble, Import-Module) and `tail` (the result line). Each
 * script is its step's head (this head with the first line naming that step), its body, the tail. */
export interface PreviewFrame {
  readonly head: string
  readonly tail: string
}

export interface Preview {
  readonly formatVersion: typeof PREVIEW_FORMAT_VERSION
  readonly plan: string
  readonly shell: Plan['environment']['shell']
  /** environment.remote: the Lync server the scripts run on through PowerShell remoting. */
  readonly remote?: string
  readonly generatedAt: string
  readonly window: PreviewWindow
  readonly steps: readonly PreviewStep[]
  /** What happens to the rooms and categories: the plan's rooms: section, and what stays behind. */
  readonly rooms: PreviewScope
  /** The frame of the scripts, when at least one step runs PowerShell. */
  readonly frame?: PreviewFrame
  readonly remaining: number
  readonly forecast: PreviewForecast
  readonly findings: readonly Finding[]
  /** With `plan --inventory`: the preflight lint of inventories taken just now (read-only). */
  readonly lint?: readonly LintFinding[]
  /** With `plan --against REF`: the steps that differ from the plan as it is at that git ref. */
  readonly against?: AgainstRef
  /** What makes this JSON a reviewed plan (the CLI adds it; apply --reviewed reads it). */
  readonly review?: PreviewReview
}

/** A step's actions as the preview and apply --reviewed render them: each `commands` action
 * with its script; the sources whose inventory the kind consulted, and whether it was known. */
export function previewActions(step: Step, known: RenderKnowledge, platform: Platform, renderScript: (step: Step, commands: readonly Command[]) => string): { actions: PreviewAction[]; inventoryOf: { source: string; known: boolean }[] } {
  const kind = kindNamed(step.kind)
  if (kind === undefined) throw new Error(`no step kind ${step.kind}`)
  const consulted = new Map<string, boolean>()
  const spy: RenderKnowledge = {
    inventory(source) {
      const inv = known.inventory(source)
      consulted.set(source, inv !== undefined)
      return inv
    },
  }
  const actions = kind.preview(step, spy, platform).map((a): PreviewAction => {
    switch (a.type) {
      case 'commands': return { type: a.type, commands: a.commands, script: renderScript(step, a.commands) }
      case 'sql': return { type: a.type, store: a.store, queries: a.queries }
      case 'backup': return { type: a.type, store: a.store, backupTo: a.to, ...(a.statements === undefined ? {} : { queries: a.statements }) }
      case 'manual': return { type: a.type, instructions: a.instructions }
      case 'report': return { type: a.type, file: a.file }
      case 'note': return { type: a.type, note: a.text }
    }
  })
  return { actions, inventoryOf: [...consulted].map(([source, k]) => ({ source, known: k })) }
}

/** The dry run: every step in order with its status from the state and exactly what it will
 * run. Pure: built from the compiled steps, so it cannot differ from what apply runs. */
export function buildPreview(args: {
  plan: Plan
  steps: readonly Step[]
  platform: Platform
  /** The plan runs on the lab emulator (remoting does not apply there). */
  emulator: boolean
  records: Readonly<Record<string, StepRecord>>
  findings: readonly Finding[]
  lint?: readonly LintFinding[]
  known: RenderKnowledge
  now: Date
  renderScript: (step: Step, commands: readonly Command[]) => string
  /** The frame of `step`'s scripts (runtimes/powershell/script.ts renderFrame); without it,
   * every script is shown whole. */
  renderFrame?: (step: Step) => PreviewFrame
  /** Makes the preview a reviewed plan (what only the CLI knows: versions, the plan file). */
  review?: PreviewReview
}): Preview {
  const { plan, steps, records, now } = args
  const w = windowAt(plan, now.getTime())
  // On the lab emulator remoting does not apply: commands run in-process.
  const env: Environment = args.emulator ? { shell: plan.environment.shell, lyncModule: plan.environment.lyncModule, workDir: plan.environment.workDir, scriptTimeout: plan.environment.scriptTimeout } : plan.environment
  let frame: PreviewFrame | undefined
  const withoutHeader = (text: string) => text.slice(text.indexOf('\n') + 1)
  // The step's part of a script: when its frame is the shared one but for the header line.
  const bodyOf = (step: Step, script: string): string | undefined => {
    if (args.renderFrame === undefined) return undefined
    const own = args.renderFrame(step)
    frame ??= own
    if (withoutHeader(own.head) !== withoutHeader(frame.head) || own.tail !== frame.tail) return undefined
    if (!script.startsWith(own.head) || !script.endsWith(own.tail) || script.length < own.head.length + own.tail.length) return undefined
    return script.slice(own.head.length, script.length - own.tail.length)
  }
  const previewSteps = steps.map((step): PreviewStep => {
    const rec = records[step.id]
    const rendered = previewActions(step, args.known, args.platform, args.renderScript)
    const actions = rendered.actions.map((a): PreviewAction => {
      if (a.type !== 'commands' || a.commands === undefined || a.script === undefined) return a
      const body = bodyOf(step, a.script)
      return { type: a.type, commands: a.commands, placements: a.commands.map((c) => describePlacement(c, env)), script: a.script, ...(body === undefined ? {} : { body }) }
    })
    const { startedAt, endedAt } = timesOf(rec)
    const duration = startedAt !== undefined && endedAt !== undefined ? Date.parse(endedAt) - Date.parse(startedAt) : undefined
    const approvedBy = approvedByOf(rec)
    const forecast = forecastStep(step, rec?.status === 'done' ? duration : undefined, args.known)
    let digest: string | undefined
    return {
      id: step.id, phase: step.phase, kind: step.kind, title: step.title,
      status: rec?.status ?? 'pending', attempts: rec?.attempts ?? 0,
      changed: rec !== undefined && rec.status === 'done' && rec.fingerprint !== step.fingerprint,
      ...(approvedBy === undefined ? {} : { approvedBy }),
      ...(duration === undefined ? {} : { durationMs: duration }),
      ...(forecast === undefined ? {} : { forecast }),
      actions,
      // Read when a format shows them (JSON, the reviewed plan) or the state is compared: hashing
      // every step's input and script was a tenth of a big plan's text preview (issue 14).
      get fingerprint(): string {
        return step.fingerprint
      },
      get runsDigest(): string {
        return (digest ??= runDigest(actions))
      },
      ...(rendered.inventoryOf.length === 0 ? {} : { inventoryOf: rendered.inventoryOf }),
    }
  })
  const minutes = previewSteps.reduce((a, s) => a + (s.forecast?.minutes ?? 0), 0)
  // The last cutover step may start as late as end - margin; the margin is what it may use.
  const allowedMinutes = Math.floor((w.endMs - w.startMs) / 60_000)
  return {
    formatVersion: PREVIEW_FORMAT_VERSION,
    plan: plan.name,
    shell: plan.environment.shell,
    ...(plan.environment.remote === undefined || args.emulator ? {} : { remote: plan.environment.remote }),
    generatedAt: now.toISOString(),
    window: {
      timezone: plan.downtime.timezone,
      startLocal: formatLocal(w.startMs, plan.downtime.timezone),
      endLocal: formatLocal(w.endMs, plan.downtime.timezone),
      startUtc: new Date(w.startMs).toISOString(),
      endUtc: new Date(w.endMs).toISOString(),
      lastStartUtc: new Date(w.lastStartMs).toISOString(),
      margin: plan.downtime.margin,
      state: w.state,
      opensInMinutes: Math.max(0, Math.ceil((w.startMs - now.getTime()) / 60_000)),
    },
    steps: previewSteps,
    rooms: previewScope(plan, args.known),
    ...(frame === undefined ? {} : { frame }),
    remaining: previewSteps.filter((s) => s.status !== 'done' || s.changed).length,
    forecast: { minutes, allowedMinutes, fits: minutes <= allowedMinutes },
    findings: args.findings,
    ...(args.lint === undefined ? {} : { lint: args.lint }),
    ...(args.review === undefined ? {} : { review: args.review }),
  }
}
