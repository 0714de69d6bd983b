import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { planStepIds } from '../../runner/cli/open-plan.js'
import { compile } from '../../runner/compile/compile.js'
import { validatePlanText } from '../../runner/plan/load.js'
import type { Plan } from '../../runner/plan/types.js'
import { platformOf } from '../../runner/runtimes/index.js'
import { kindNamed } from '../../runner/steps/registry.js'
import { ROOT } from '../helpers/cli.js'

const LAB = readFileSync(join(ROOT, 'plans/lab.yaml'), 'utf8')

/** The lab plan with a `checkpoints:` section appended. */
function withCheckpoints(yaml: string): string {
  return `${LAB.trimEnd()}\ncheckpoints:\n${yaml}`
}

function valid(text: string): Plan {
  const r = validatePlanText(text, 'plan.yaml', planStepIds)
  if (r.plan === undefined) throw new Error(JSON.stringify(r.findings))
  return r.plan
}

const ids = (plan: Plan): string[] => compile(plan, platformOf(plan)).map((s): string => s.id)

describe('checkpoints: manual pauses before a named step', () => {
  it('compile puts each right before the step it names, in that step\'s phase, several before one step in the plan\'s order', () => {
    const plan = valid(withCheckpoints([
      '  - { before: post.enable-clients, title: Smoke test before the clients, instructions: Sign in with a test user. }',
      '  - { before: cutover.stop-legacy.gc2010, title: Go/no-go before Group Chat stops, instructions: The change board says go. }',
      '  - { before: cutover.stop-legacy.gc2010, title: Second look, instructions: The help desk is staffed. }',
    ].join('\n')))
    const steps = compile(plan, platformOf(plan))
    const at = (id: string) => steps.findIndex((s) => s.id === id)
    expect(at('cutover.checkpoint.2')).toBe(at('cutover.stop-legacy.gc2010') - 2)
    expect(at('cutover.checkpoint.3')).toBe(at('cutover.stop-legacy.gc2010') - 1)
    expect(at('post.checkpoint.1')).toBe(at('post.enable-clients') - 1)
    const go = steps[at('cutover.checkpoint.2')]
    expect(go).toMatchObject({ kind: 'checkpoint', phase: 'cutover', title: 'Go/no-go before Group Chat stops' })
    expect(go?.input.instructions).toBe('The change board says go. Then confirm with cutover approve; the run goes on with cutover.stop-legacy.gc2010.')
    // A pause the engine waits at, which rollback does not refuse over (approving a check undoes nothing).
    expect(kindNamed('checkpoint')?.traits).toEqual({ idempotent: false, manual: true })
    // Everything else keeps its order and fingerprint.
    const without = compile(valid(LAB), platformOf(plan))
    expect(steps.filter((s) => s.kind !== 'checkpoint')).toEqual(without)
  })

  it('validate refuses a checkpoint before a step the plan does not compile, naming valid ids of that phase', () => {
    const r = validatePlanText(withCheckpoints('  - { before: cutover.stop-legacy.gc2007, title: Go/no-go, instructions: The change board says go. }'), 'plan.yaml', planStepIds)
    expect(r.plan).toBeUndefined()
    expect(r.findings).toHaveLength(1)
    expect(r.findings[0]).toMatchObject({ severity: 'error', rule: 'checkpoint-before' })
    expect(r.findings[0]?.message).toMatch(/^checkpoint 1 is before cutover\.stop-legacy\.gc2007, which is no step of this plan; steps are e\.g\. cutover\.stop-legacy\.gc2010, /)
    expect(r.findings[0]?.message).toContain('cutover plan lists them')
    // Nor may a checkpoint name another checkpoint: only the steps the plan compiles without them.
    expect(validatePlanText(withCheckpoints('  - { before: cutover.checkpoint.1, title: Go, instructions: Go on. }'), 'plan.yaml', planStepIds).plan).toBeUndefined()
  })

  it('the schema refuses a checkpoint without instructions or with an unknown key; compile refuses what validate would', () => {
    const r = validatePlanText(withCheckpoints('  - { before: post.enable-clients, title: Smoke test, after: x }'), 'plan.yaml', planStepIds)
    expect(r.plan).toBeUndefined()
    expect(r.findings.map((f) => f.rule).sort()).toEqual(['schema/required', 'schema/unknown-key'])
    const plan = valid(LAB)
    expect(() => ids({ ...plan, checkpoints: [{ before: 'post.nothing', title: 'x', instructions: 'y' }] })).toThrow(/checkpoint 1 is before post\.nothing, which is no step of the plan/)
  })
})
