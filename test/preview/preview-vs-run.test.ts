import { describe, expect, it } from 'vitest'
import { compile } from '../../runner/compile/compile.js'
import { LAB_NAMES } from '../../runner/lab/lab-names.js'
import { Engine } from '../../runner/engine/engine.js'
import { labRuntime } from '../../runner/runtimes/lab/runtime.js'
import type { Runtime } from '../../runner/core/runtime.js'
import { Secrets } from '../../runner/plan/secrets.js'
import type { Command } from '../../runner/core/command.js'
import { validatePlanText } from '../../runner/plan/load.js'
import { renderScript } from '../../runner/runtimes/powershell/script.js'
import { FileStateStore } from '../../runner/state/file-store.js'
import { fixedClock } from '../../runner/core/clock.js'
import { knowledgeFrom } from '../../runner/cli/preview-knowledge.js'
import { platformOf } from '../../runner/runtimes/index.js'
import { kindNamed } from '../../runner/steps/registry.js'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { labCase } from '../helpers/lab.js'

/** A lab runtime whose host records every batch it is given, per step. */
function recording(runtime: Runtime): { runtime: Runtime; batches: Map<string, Command[][]> } {
  const batches = new Map<string, Command[][]>()
  return {
    batches,
    runtime: {
      ...runtime,
      host: {
        name: runtime.host.name,
        run: (commands, opts) => {
          batches.set(opts.stepId, [...(batches.get(opts.stepId) ?? []), [...commands]])
          return runtime.host.run(commands, opts)
        },
        close: () => runtime.host.close(),
      },
      sql: (s) => runtime.sql(s),
      close: () => runtime.close(),
    },
  }
}

describe('the preview shows what apply runs', () => {
  it('every command the lab host receives is the one the preview rendered, step by step, with the same script', async () => {
    const c = await labCase()
    const planText = readFileSync(c.planFile, 'utf8')
    const loaded = validatePlanText(planText, c.planFile)
    if (loaded.plan === undefined) throw new Error('lab plan invalid')
    const plan = loaded.plan
    const steps = compile(plan, platformOf(plan))
    const store = new FileStateStore(join(c.dir, '.cutover'), plan.name)
    const rec = recording(labRuntime(plan, c.dir))
    const engine = (until?: string) => new Engine({
      plan, planHash: 'h', steps, kinds: kindNamed, store, runtime: rec.runtime, platform: platformOf(plan), clock: fixedClock('2026-12-06T04:00:00Z'),
      writeReport: () => Promise.resolve('report.md'),
      secrets: new Secrets({}), artifactsDir: store.artifactsDir(), listener: () => undefined, command: 'test',
    }).apply(until === undefined ? {} : { until })

    // The preview an admin would review once the preflight has run (it knows the inventory).
    await engine('preflight.target')
    const state = await store.load()
    const known = knowledgeFrom(state?.steps ?? {}, store.artifactsDir())
    const previewed = new Map<string, readonly Command[]>(steps.map((s) => [s.id, kindNamed(s.kind)?.preview(s, known, platformOf(plan)).flatMap((a) => (a.type === 'commands' ? a.commands : [])) ?? []]))

    await expect(engine()).resolves.toEqual({ outcome: 'done' })
    await rec.runtime.close()
    expect(rec.batches.size).toBeGreaterThan(8)
    for (const [stepId, batches] of rec.batches) {
      const ran = batches.flat()
      const shown = previewed.get(stepId) ?? []
      // lookup-account runs its two commands as two batches (it reads the account before it
      // disables it); flattened, every step ran exactly the commands the preview showed.
      expect(shown.length, `${stepId} shows its commands`).toBeGreaterThan(0)
      // start-target also starts the services the stop found stopped besides the named ones (their
      // dependents, which Start-CsWindowsService does not start): its preview says so in a note,
      // and they are exactly the lab's dependent service.
      const dependents: Command[] = stepId === 'cutover.start-target' ? [{ cmdlet: 'Start-CsWindowsService', params: [['Name', LAB_NAMES.targetDependentService], ['ComputerName', LAB_NAMES.targetServer]] }] : []
      expect(ran, stepId).toEqual([...shown, ...dependents])
      const step = steps.find((s) => s.id === stepId)
      if (step === undefined) throw new Error(`unknown step ${stepId}`)
      if (batches.length === 1 && dependents.length === 0) expect(renderScript(step, plan, batches[0] ?? [])).toBe(renderScript(step, plan, shown))
    }
    // Every command step of the plan ran through the host.
    for (const [id, cmds] of previewed) if (cmds.length > 0) expect(rec.batches.has(id), `${id} ran`).toBe(true)
  })
})
