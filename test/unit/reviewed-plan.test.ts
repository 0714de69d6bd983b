/**
 * apply --reviewed in-process (compile/reviewed-plan.ts): reading a reviewed plan back, the
 * differences found before anything runs (plan bytes, version, templates, fingerprints), and the
 * steps rendered from an inventory compared once the run knows it.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { compile } from '../../runner/compile/compile.js'
import { buildPreview, previewActions } from '../../runner/compile/preview.js'
import type { Preview } from '../../runner/compile/preview.js'
import { ReviewedComparer, firstDifference, headerDifferences, parseReviewedPlan } from '../../runner/compile/reviewed-plan.js'
import type { ReviewedPlan } from '../../runner/compile/reviewed-plan.js'
import type { Command } from '../../runner/core/command.js'
import type { Step } from '../../runner/core/step.js'
import { createLab } from '../../runner/lab/index.js'
import { cutoffInstant } from '../../runner/plan/cutoff.js'
import type { Plan } from '../../runner/plan/types.js'
import { platformOf } from '../../runner/runtimes/index.js'
import { renderScript, templatesDigest } from '../../runner/runtimes/powershell/script.js'
import { takeInventory } from '../../runner/sql/inventory.js'
import type { Inventory } from '../../runner/sql/inventory.js'
import { openSqliteClient } from '../../runner/sql/sqlite.js'
import { NOTHING_KNOWN } from '../../runner/steps/define.js'
import type { RenderKnowledge } from '../../runner/steps/define.js'
import { labPlan } from '../helpers/engine-fakes.js'

const PLAN_SHA = 'a'.repeat(64)
const VERSION = '0.1.0'

let plan: Plan
let steps: readonly Step[]
let inventory: Inventory

/** What a run knows when it has read `inv` (as its preflight inventory step), or nothing. */
function knowing(inv: Inventory | undefined, sha = 'inv-1'): RenderKnowledge {
  return { inventory: () => inv, inventoryDigest: () => (inv === undefined ? undefined : { sha256: sha, from: 'preflight.inventory.gc2010' }) }
}

const render = (step: Step, commands: readonly Command[]) => renderScript(step, plan, commands)

/** The JSON `cutover plan --format json --out FILE` writes, rendered with `known`. */
function recordText(known: RenderKnowledge, over: { renderScript?: typeof render; templates?: string } = {}): string {
  const preview: Preview = buildPreview({
    plan, steps, platform: platformOf(plan), emulator: true, records: {}, findings: [], known, now: new Date('2026-12-01T12:00:00Z'),
    renderScript: over.renderScript ?? render,
    review: { cutoverVersion: VERSION, templatesDigest: over.templates ?? templatesDigest(), planFile: { path: 'plans/lab.yaml', sha256: PLAN_SHA }, inventories: [] },
  })
  return JSON.stringify(preview, null, 2)
}

function reviewed(text: string): ReviewedPlan {
  const parsed = parseReviewedPlan(text, 'lab')
  if (!parsed.ok) throw new Error(parsed.why)
  return parsed.reviewed
}

/** The comparer apply --reviewed builds (cli/reviewed.ts), counting renders. */
function comparerOf(r: ReviewedPlan): { comparer: ReviewedComparer; renders: string[] } {
  const renders: string[] = []
  const comparer = new ReviewedComparer(r, (step, known) => {
    renders.push(step.id)
    return previewActions(step, known, platformOf(plan), render)
  })
  return { comparer, renders }
}

beforeAll(async () => {
  plan = labPlan()
  steps = compile(plan, platformOf(plan))
  const dir = mkdtempSync(join(tmpdir(), 'cutover-reviewed-'))
  const info = await createLab({ dir: join(dir, 'lab'), rooms: 16, messages: 300, seed: 1 })
  inventory = await takeInventory(openSqliteClient(info.legacyStore), { cutoff: cutoffInstant(plan), sipDomain: 'lab.cutover.test' })
})

describe('a reviewed plan file', () => {
  it('is read back from the JSON preview, each step with its fingerprint and the text it runs', () => {
    const r = reviewed(recordText(knowing(inventory)))
    expect(r.steps.map((s) => s.id)).toEqual(steps.map((s) => s.id))
    const exported = r.steps.find((s) => s.id === 'cutover.export.gc2010')
    expect(exported?.fingerprint).toBe(steps.find((s) => s.id === 'cutover.export.gc2010')?.fingerprint)
    expect(exported?.text).toContain('Export-CsPersistentChatData')
    expect(exported?.text).toContain('-Scope')
    expect(exported?.inventoryOf).toEqual(['gc2010'])
  })

  it.each([
    ['not JSON', () => '{"formatVersion": 1,', /^it is not JSON/],
    ['another formatVersion', () => recordText(NOTHING_KNOWN).replace('"formatVersion": 1', '"formatVersion": 2'), /formatVersion is 2, this cutover reads 1/],
    ["another plan's", () => recordText(NOTHING_KNOWN).replace('"plan": "lab"', '"plan": "contoso"'), /reviewed plan of 'contoso', not of 'lab'/],
    ['a preview without its review block', () => { const p = JSON.parse(recordText(NOTHING_KNOWN)) as Record<string, unknown>; delete p.review; return JSON.stringify(p) }, /no review block/],
    ['a script edited after it was written', () => recordText(NOTHING_KNOWN).replace("-Name 'release-train'", "-Name 'release-trains'"), /text of step cutover\.mappings does not match its runsDigest/],
  ])('refuses %s in one line', (_what, text, why) => {
    const parsed = parseReviewedPlan(text(), 'lab')
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    expect(parsed.why).toMatch(why)
    expect(parsed.why).not.toContain('\n')
  })
})

describe('before anything runs (headerDifferences)', () => {
  const now = () => ({ planSha256: PLAN_SHA, cutoverVersion: VERSION, templatesDigest: templatesDigest(), steps })

  it('finds nothing when the plan, the version, the templates and the steps are the reviewed ones', () => {
    expect(headerDifferences(reviewed(recordText(NOTHING_KNOWN)), now())).toEqual([])
  })

  it('names the plan file, the cutover version and the templates when they differ, one line each', () => {
    const lines = headerDifferences(reviewed(recordText(NOTHING_KNOWN)), { ...now(), planSha256: 'b'.repeat(64), cutoverVersion: '0.2.0', templatesDigest: 'c'.repeat(64) })
    expect(lines).toEqual([
      `plan file: its bytes differ from the reviewed plans/lab.yaml (sha256 ${'b'.repeat(12)} now, ${'a'.repeat(12)} reviewed)`,
      'cutover version: 0.2.0 runs here, the reviewed plan was rendered by 0.1.0',
      `templates: their digest is ${'c'.repeat(12)} here, ${templatesDigest().slice(0, 12)} in the reviewed plan: the scripts were rendered by other templates`,
    ])
  })

  it('names each step whose plan entry changed, and steps added or gone', () => {
    const r = reviewed(recordText(NOTHING_KNOWN))
    const clients = plan.legacyClients
    if (clients === undefined) throw new Error('the lab plan has legacyClients')
    const changed: Plan = { ...plan, legacyClients: { ...clients, displayName: 'Persistent Chat (renamed)' } }
    const lines = headerDifferences(r, { ...now(), steps: compile(changed, platformOf(changed)).filter((s) => s.id !== 'post.report') })
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(/^cutover\.endpoint: its fingerprint is [0-9a-f]{16} now, [0-9a-f]{16} reviewed \(its inputs from the plan changed\)$/)
    expect(lines[1]).toBe('post.report: in the reviewed plan, not in this plan')
  })
})

describe('as the run reads the stores (ReviewedComparer)', () => {
  it('matches when the run renders what was reviewed, and renders a matched step only once', () => {
    const { comparer, renders } = comparerOf(reviewed(recordText(knowing(inventory))))
    expect(comparer.differences(steps, knowing(inventory))).toEqual([])
    const first = renders.length
    expect(first).toBe(steps.length)
    expect(comparer.differences(steps, knowing(inventory))).toEqual([])
    expect(renders).toHaveLength(first)
    // A newer inventory (the freeze) renders the steps that depend on it again, only those.
    expect(comparer.differences(steps, knowing(inventory, 'inv-2'))).toEqual([])
    expect(renders.slice(first)).toEqual(['cutover.export.gc2010', 'cutover.mappings'])
  })

  it('leaves a step rendered from an inventory for later while the run has not read it, except the step about to run', () => {
    const { comparer } = comparerOf(reviewed(recordText(knowing(inventory))))
    expect(comparer.differences(steps, NOTHING_KNOWN)).toEqual([])
    const exported = steps.find((s) => s.id === 'cutover.export.gc2010')
    const lines = comparer.differences(steps, NOTHING_KNOWN, exported)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^cutover\.export\.gc2010: what it would run differs from the reviewed plan at line \d+: reviewed ".*-Scope .*", now ".*"/)
  })

  it('refuses a changed inventory: a category added to the store changes the export -Scope, named with the line that differs', () => {
    const { comparer } = comparerOf(reviewed(recordText(knowing(inventory))))
    const added: Inventory = { ...inventory, categories: [...inventory.categories, { id: 9999, path: ['Marketing'], flattened: 'Marketing', disabled: false, invite: null }] }
    const lines = comparer.differences(steps, knowing(added, 'inv-2'))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^cutover\.export\.gc2010: what it would run differs from the reviewed plan at line \d+: reviewed "[^"]*", now "[^"]*'Marketing'[^"]*"/)
    expect(lines[0]).toContain('[the inventory of gc2010: now preflight.inventory.gc2010 (inv-2), reviewed no inventory')
  })

  it('refuses a step reviewed without the inventory once the run has read it', () => {
    const { comparer } = comparerOf(reviewed(recordText(NOTHING_KNOWN)))
    const lines = comparer.differences(steps, knowing(inventory))
    expect(lines.map((l) => l.split(':')[0])).toEqual(['cutover.export.gc2010', 'cutover.mappings'])
  })

  it('refuses scripts rendered by another template, naming the step and the first line that differs', () => {
    // The reviewed plan's import template did not stop on errors; this one does.
    const other = (step: Step, commands: readonly Command[]) => {
      const script = render(step, commands)
      expect(script).toContain("$ErrorActionPreference = 'Stop'")
      return step.kind === 'import' ? script.replace("$ErrorActionPreference = 'Stop'", "$ErrorActionPreference = 'Continue'") : script
    }
    const r = reviewed(recordText(knowing(inventory), { renderScript: other, templates: 'd'.repeat(64) }))
    expect(headerDifferences(r, { planSha256: PLAN_SHA, cutoverVersion: VERSION, templatesDigest: templatesDigest(), steps })[0]).toMatch(/^templates: their digest is/)
    const lines = comparerOf(r).comparer.differences(steps, knowing(inventory))
    expect(lines.map((l) => l.split(':')[0])).toEqual(['cutover.import-whatif.gc2010', 'cutover.import.gc2010'])
    expect(lines[1]).toMatch(/at line \d+: reviewed "\$ErrorActionPreference = 'Continue'", now "\$ErrorActionPreference = 'Stop'"$/)
  })
})

describe('firstDifference', () => {
  it('gives the first differing line and column, and past the end an empty line', () => {
    expect(firstDifference('a\nb\nc', 'a\nb\nc')).toBeUndefined()
    expect(firstDifference('a\nbcd\ne', 'a\nbxd\ne')).toEqual({ line: 2, column: 1, reviewed: 'bcd', now: 'bxd' })
    expect(firstDifference('a', 'a\nb')).toEqual({ line: 2, column: 0, reviewed: '', now: 'b' })
  })
})
