import { sha256Hex } from '../core/hash.js'
import type { Step } from '../core/step.js'
import type { RenderKnowledge } from '../steps/define.js'
import { PREVIEW_FORMAT_VERSION } from './preview.js'
import type { PreviewReview } from './preview.js'
import { runDigest, runText } from './run-text.js'
import type { RunAction } from './run-text.js'

/**
 * The reviewed plan (Terraform's saved plan): the JSON preview `cutover plan --format json`
 * writes, read back by `cutover apply --reviewed FILE`, which refuses to run anything that would
 * run differently from what was reviewed. Pure: reading the record, and comparing it with the
 * plan, the templates and the scripts as this run renders them.
 */

/** One step as the reviewer saw it. */
export interface ReviewedStep {
  readonly id: string
  readonly fingerprint: string
  readonly runsDigest: string
  /** What it runs (run-text.ts runText of its recorded actions). */
  readonly text: string
  /** The sources whose inventory its commands were rendered from. */
  readonly inventoryOf: readonly string[]
}

export interface ReviewedPlan {
  readonly plan: string
  readonly review: PreviewReview
  readonly steps: readonly ReviewedStep[]
}

export type ReviewedParse = { readonly ok: true; readonly reviewed: ReviewedPlan } | { readonly ok: false; readonly why: string }

const ACTION_TYPES: readonly RunAction['type'][] = ['commands', 'sql', 'backup', 'manual', 'report', 'note']

type Obj = Readonly<Record<string, unknown>>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const isStr = (v: unknown): v is string => typeof v === 'string'
const strings = (v: unknown): v is readonly string[] => Array.isArray(v) && v.every(isStr)

function actionOf(v: unknown): RunAction | undefined {
  if (!isObj(v)) return undefined
  const type = ACTION_TYPES.find((t) => t === v.type)
  if (type === undefined) return undefined
  const texts: Record<string, string> = {}
  for (const key of ['script', 'store', 'backupTo', 'instructions', 'file'] as const) {
    const value = v[key]
    if (value === undefined) continue
    if (!isStr(value)) return undefined
    texts[key] = value
  }
  if (v.queries !== undefined && !strings(v.queries)) return undefined
  return { type, ...texts, ...(v.queries === undefined ? {} : { queries: v.queries }) }
}

function stepOf(v: unknown): ReviewedStep | string {
  if (!isObj(v) || !isStr(v.id)) return 'a step without an id'
  const { id } = v
  if (!isStr(v.fingerprint) || !isStr(v.runsDigest) || !Array.isArray(v.actions)) return `step ${id} has no fingerprint, runsDigest or actions`
  const actions: RunAction[] = []
  for (const a of v.actions as unknown[]) {
    const action = actionOf(a)
    if (action === undefined) return `step ${id} has an action cutover cannot read`
    actions.push(action)
  }
  // The digest is checked against the text: an edited script is not what the reviewer saw.
  if (runDigest(actions) !== v.runsDigest) return `the text of step ${id} does not match its runsDigest (the file was changed after cutover plan wrote it)`
  const inventoryOf = Array.isArray(v.inventoryOf) ? (v.inventoryOf as unknown[]).flatMap((i) => (isObj(i) && isStr(i.source) ? [i.source] : [])) : []
  return { id, fingerprint: v.fingerprint, runsDigest: v.runsDigest, text: runText(actions), inventoryOf }
}

function reviewOf(v: unknown): PreviewReview | undefined {
  if (!isObj(v) || !isStr(v.cutoverVersion) || !isStr(v.templatesDigest) || !isObj(v.planFile) || !isStr(v.planFile.path) || !isStr(v.planFile.sha256) || !Array.isArray(v.inventories)) return undefined
  const inventories = (v.inventories as unknown[]).flatMap((i) => (isObj(i) && isStr(i.source) && isStr(i.sha256) && isStr(i.from) ? [{ source: i.source, sha256: i.sha256, from: i.from }] : []))
  return { cutoverVersion: v.cutoverVersion, templatesDigest: v.templatesDigest, planFile: { path: v.planFile.path, sha256: v.planFile.sha256 }, inventories }
}

/** Reads a reviewed-plan file's text; `why` is one line saying why it is not one (of this plan). */
export function parseReviewedPlan(text: string, planName: string): ReviewedParse {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    return { ok: false, why: `it is not JSON (${e instanceof Error ? e.message : String(e)})` }
  }
  if (!isObj(value)) return { ok: false, why: 'it is not a reviewed plan (a JSON object written by cutover plan --format json)' }
  if (value.formatVersion !== PREVIEW_FORMAT_VERSION) return { ok: false, why: `its formatVersion is ${JSON.stringify(value.formatVersion) ?? 'missing'}, this cutover reads ${PREVIEW_FORMAT_VERSION}: it was not written by cutover plan --format json of this version` }
  if (value.plan !== planName) return { ok: false, why: `it is the reviewed plan of ${isStr(value.plan) ? `'${value.plan}'` : 'no plan'}, not of '${planName}'` }
  const review = reviewOf(value.review)
  if (review === undefined) return { ok: false, why: 'it has no review block (cutoverVersion, templatesDigest, planFile, inventories): it is a preview of an older cutover, or was edited' }
  if (!Array.isArray(value.steps)) return { ok: false, why: 'it has no steps' }
  const steps: ReviewedStep[] = []
  for (const s of value.steps as unknown[]) {
    const step = stepOf(s)
    if (typeof step === 'string') return { ok: false, why: step }
    steps.push(step)
  }
  return { ok: true, reviewed: { plan: planName, review, steps } }
}

/** What this run is, to compare with the record before anything runs. */
export interface CurrentRun {
  readonly planSha256: string
  readonly cutoverVersion: string
  readonly templatesDigest: string
  readonly steps: readonly Step[]
}

const short = (sha: string) => sha.slice(0, 12)

/**
 * The differences that do not depend on the stores, one line each: the plan file's bytes,
 * cutover's version, the templates, the steps (added, gone) and each step's fingerprint. Empty
 * when they match.
 */
export function headerDifferences(reviewed: ReviewedPlan, now: CurrentRun): string[] {
  const { review } = reviewed
  const out: string[] = []
  if (review.planFile.sha256 !== now.planSha256) out.push(`plan file: its bytes differ from the reviewed ${review.planFile.path} (sha256 ${short(now.planSha256)} now, ${short(review.planFile.sha256)} reviewed)`)
  if (review.cutoverVersion !== now.cutoverVersion) out.push(`cutover version: ${now.cutoverVersion} runs here, the reviewed plan was rendered by ${review.cutoverVersion}`)
  if (review.templatesDigest !== now.templatesDigest) out.push(`templates: their digest is ${short(now.templatesDigest)} here, ${short(review.templatesDigest)} in the reviewed plan: the scripts were rendered by other templates`)
  const byId = new Map(reviewed.steps.map((s) => [s.id, s]))
  const compiled = new Set<string>(now.steps.map((s) => s.id))
  for (const step of now.steps) {
    const r = byId.get(step.id)
    if (r === undefined) out.push(`${step.id}: not in the reviewed plan`)
    else if (r.fingerprint !== step.fingerprint) out.push(`${step.id}: its fingerprint is ${step.fingerprint} now, ${r.fingerprint} reviewed (its inputs from the plan changed)`)
  }
  for (const r of reviewed.steps) if (!compiled.has(r.id)) out.push(`${r.id}: in the reviewed plan, not in this plan`)
  return out
}

/** The first line where two texts differ (1-based), with both lines ('' past the end) and the
 * first column (0-based) where they part. */
export function firstDifference(reviewed: string, now: string): { readonly line: number; readonly column: number; readonly reviewed: string; readonly now: string } | undefined {
  if (reviewed === now) return undefined
  const a = reviewed.split('\n')
  const b = now.split('\n')
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  const ra = a[i] ?? ''
  const nb = b[i] ?? ''
  let column = 0
  while (column < ra.length && column < nb.length && ra[column] === nb[column]) column++
  return { line: i + 1, column, reviewed: ra, now: nb }
}

/** A line cut to what a reader needs: from a little before `column` (where the texts part), quoted. */
function around(line: string, column: number): string {
  const from = column > 60 ? column - 40 : 0
  const to = from + 140
  return JSON.stringify(`${from > 0 ? '...' : ''}${line.slice(from, to)}${line.length > to ? '...' : ''}`)
}

/** One line saying how a step's text differs from the reviewed one. */
export function scriptDifference(id: string, reviewed: string, now: string): string | undefined {
  const d = firstDifference(reviewed, now)
  if (d === undefined) return undefined
  return `${id}: what it would run differs from the reviewed plan at line ${d.line}: reviewed ${around(d.reviewed, d.column)}, now ${around(d.now, d.column)}`
}

/** How a step renders now: its actions and the inventories it consulted (compile/preview.ts previewActions). */
export type RenderNow = (step: Step, known: RenderKnowledge) => { readonly actions: readonly RunAction[] }

/**
 * Compares the steps that would run with the reviewed plan, as the run learns the stores: a step
 * whose commands come from an inventory (export -Scope, the mappings) is compared once the run
 * has read that inventory, and again when it reads a newer one (the freeze); the others once.
 * A step that matched under the same inventories is not rendered again.
 */
export class ReviewedComparer {
  private readonly byId: ReadonlyMap<string, ReviewedStep>
  /** Step id -> the inventories (by digest) it matched under. */
  private readonly matched = new Map<string, string>()

  constructor(private readonly reviewed: ReviewedPlan, private readonly render: RenderNow) {
    this.byId = new Map(reviewed.steps.map((s) => [s.id, s]))
  }

  /**
   * One line per step of `steps` that would run differently from the reviewed plan (empty when
   * all match). A step whose inventory the run does not know yet is left for later, except
   * `next`, the step about to run, which is compared with what is known.
   */
  differences(steps: readonly Step[], known: RenderKnowledge, next?: Step): string[] {
    const out: string[] = []
    for (const step of steps) {
      const r = this.byId.get(step.id)
      if (r === undefined) continue
      const digests = r.inventoryOf.map((source) => ({ source, digest: known.inventoryDigest?.(source), has: known.inventory(source) !== undefined }))
      if (step !== next && digests.some((d) => !d.has)) continue
      const key = digests.map((d) => `${d.source}=${d.digest?.sha256 ?? (d.has ? 'known' : 'unknown')}`).join(',')
      if (this.matched.get(step.id) === key) continue
      const text = runText(this.render(step, known).actions)
      if (sha256Hex(text) === r.runsDigest) {
        this.matched.set(step.id, key)
        continue
      }
      const line = scriptDifference(step.id, r.text, text) ?? `${step.id}: what it would run differs from the reviewed plan`
      out.push(line + this.inventoryNote(digests))
    }
    return out
  }

  /** Which inventory a differing step was rendered from, against the one the reviewer saw. */
  private inventoryNote(digests: readonly { readonly source: string; readonly digest: { readonly sha256: string; readonly from: string } | undefined; readonly has: boolean }[]): string {
    const notes = digests.map((d) => {
      const seen = this.reviewed.review.inventories.find((i) => i.source === d.source)
      const now = d.digest === undefined ? (d.has ? 'an inventory' : 'no inventory yet') : `${d.digest.from} (${short(d.digest.sha256)})`
      const then = seen === undefined ? 'no inventory (plan with --inventory, or after the preflight)' : `${seen.from} (${short(seen.sha256)})`
      return `the inventory of ${d.source}: now ${now}, reviewed ${then}`
    })
    return notes.length === 0 ? '' : ` [${notes.join('; ')}]`
  }
}
