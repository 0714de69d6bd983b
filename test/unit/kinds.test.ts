import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { compile } from '../../runner/compile/compile.js'
import type { Step, StepId } from '../../runner/core/step.js'
import { validatePlanText } from '../../runner/plan/load.js'
import { platformOf } from '../../runner/runtimes/index.js'
import type { StepKind } from '../../runner/steps/define.js'
import { exportId } from '../../runner/steps/kinds/export.js'
import type { ExportInput } from '../../runner/steps/kinds/export.js'
import { KINDS } from '../../runner/steps/registry.js'
import type { KindName } from '../../runner/steps/registry.js'
import { ROOT } from '../helpers/cli.js'

const KINDS_DIR = join(ROOT, 'runner', 'steps', 'kinds')

/** Every kind object a module exports (anything with a kind name, traits and a run function). */
function exportedKinds(module: Record<string, unknown>): StepKind[] {
  return Object.values(module).filter((v): v is StepKind => typeof v === 'object' && v !== null && 'kind' in v && 'traits' in v && 'run' in v)
}

/** The kinds the modules export that the registry does not list, by module file. */
function unregistered(modules: ReadonlyMap<string, Record<string, unknown>>, registry: readonly StepKind[]): string[] {
  return [...modules].flatMap(([file, m]) => exportedKinds(m).filter((k) => !registry.includes(k)).map((k) => `${file}: ${k.kind}`))
}

async function kindModules(): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>()
  for (const file of readdirSync(KINDS_DIR).filter((f) => f.endsWith('.ts')).sort()) {
    out.set(file, (await import(pathToFileURL(join(KINDS_DIR, file)).href)) as Record<string, unknown>)
  }
  return out
}

/** The example plans: the committed ones and the tests' good plans. */
function examplePlans(): { file: string; steps: Step[] }[] {
  const files = [
    ...readdirSync(join(ROOT, 'plans')).filter((f) => f.endsWith('.yaml')).map((f) => `plans/${f}`),
    ...readdirSync(join(ROOT, 'test/plans/good')).filter((f) => f.endsWith('.yaml')).map((f) => `test/plans/good/${f}`),
    'test/plans/minimal.yaml', 'test/plans/hostile.yaml',
  ].sort()
  return files.map((file) => {
    const r = validatePlanText(readFileSync(join(ROOT, file), 'utf8'), file)
    if (r.plan === undefined) throw new Error(`${file} is invalid`)
    return { file, steps: compile(r.plan, platformOf(r.plan)) }
  })
}

/** Inputs that name other steps are the fields `…Step` (one id) and `…Steps` (ids), by convention
 * (their type is StepId<K>); each must name a step compiled before the one that holds it. */
function danglingReferences(steps: readonly Step[]): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const s of steps) {
    for (const [field, value] of Object.entries(s.input)) {
      if (!/Steps?$/.test(field)) continue
      for (const id of Array.isArray(value) ? value : [value]) {
        if (typeof id !== 'string' || !seen.has(id)) out.push(`${s.id}.${field} names ${String(id)}, which is not compiled before it`)
      }
    }
    seen.add(s.id)
  }
  return out
}

describe('the step kinds', () => {
  it('are each one module of steps/kinds/, every one listed in the registry', async () => {
    const modules = await kindModules()
    for (const [file, m] of modules) expect(exportedKinds(m), `${file} declares one kind`).toHaveLength(1)
    expect(unregistered(modules, KINDS)).toEqual([])
    expect(KINDS).toHaveLength(modules.size)
  })

  it('would be caught missing from the registry', async () => {
    const modules = await kindModules()
    expect(unregistered(modules, KINDS.filter((k) => k.kind !== 'filestore'))).toEqual(['filestore.ts: filestore'])
  })

  it('have distinct names, and the module of each is named for it', async () => {
    const names = KINDS.map((k) => k.kind)
    expect(new Set(names).size).toBe(names.length)
    const modules = await kindModules()
    for (const [file, m] of modules) expect(exportedKinds(m)[0]?.kind, file).toBe(file.replace(/\.ts$/, ''))
  })

  it('name, in every input, only steps compiled before the step that reads them', () => {
    let references = 0
    for (const { file, steps } of examplePlans()) {
      expect(danglingReferences(steps), file).toEqual([])
      references += steps.reduce((n, s) => n + Object.keys(s.input).filter((k) => /Steps?$/.test(k)).length, 0)
    }
    expect(references).toBeGreaterThan(50)
  })

  it('would be caught naming a step that runs later or that no kind produced', () => {
    const { steps } = examplePlans().find((p) => p.file === 'plans/lab.yaml') ?? { steps: [] }
    const exp = steps.findIndex((s) => s.kind === 'export')
    const reordered = [...steps.slice(0, exp - 1), ...steps.slice(exp, exp + 1), ...steps.slice(exp - 1, exp), ...steps.slice(exp + 1)]
    expect(danglingReferences(reordered)).toEqual(['cutover.export.gc2010.inventoryStep names cutover.inventory.gc2010, which is not compiled before it'])
    const last = steps[steps.length - 1]
    if (last === undefined) throw new Error('no steps')
    expect(danglingReferences([...steps.slice(0, -1), { ...last, input: { ...last.input, exportStep: 'cutover.export.nowhere' } }])).toEqual(['post.report.exportStep names cutover.export.nowhere, which is not compiled before it'])
  })

  it('type their ids: an input cannot hold the id of a step of another kind', () => {
    const id: StepId<'export'> = exportId('gc2010')
    // @ts-expect-error the export's inventoryStep is an inventory step, not an export
    const wrong: ExportInput['inventoryStep'] = id
    // @ts-expect-error a kind name no kind has is not a KindName
    const unknown: KindName = 'no-such-kind'
    expect([wrong, unknown]).toEqual(['cutover.export.gc2010', 'no-such-kind'])
  })
})
