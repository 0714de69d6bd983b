/**
 * enable-clients (issue 11 item 10): rollback restores the EnablePersistentChat value the step
 * found, not always $false; and the step runs after the decommission (Microsoft's step 13).
 */
import { describe, expect, it } from 'vitest'
import { compile } from '../../runner/compile/compile.js'
import type { Step } from '../../runner/core/step.js'
import { readWorld } from '../../runner/lab/world.js'
import { platformOf } from '../../runner/runtimes/index.js'
import { LabHost } from '../../runner/runtimes/lab/host.js'
import { enableClientsKind } from '../../runner/steps/kinds/enable-clients.js'
import type { EnableClientsInput } from '../../runner/steps/kinds/enable-clients.js'
import { labPlan } from '../helpers/engine-fakes.js'
import { cmd, newLab } from '../lab/fixture.js'
import { stepContext } from './run-context.js'

const plan = labPlan()
const step = compile(plan, platformOf(plan)).find((s) => s.kind === 'enable-clients') as Step<'enable-clients', EnableClientsInput>
const enabled = (dir: string) => readWorld(dir).policies.find((p) => p.identity.toLowerCase() === step.input.policy.toLowerCase())?.enablePersistentChat

describe('enable-clients', () => {
  it('comes after every decommission entry, then the report', () => {
    const ids: string[] = compile(plan, platformOf(plan)).map((s) => s.id)
    const decommission = ids.filter((id) => id.startsWith('decommission.'))
    expect(decommission.length).toBeGreaterThan(0)
    expect(ids.slice(-2)).toEqual(['post.enable-clients', 'post.report'])
  })

  it.each([true, false])('rollback puts back EnablePersistentChat %s, the value it found', async (was) => {
    const { lab, dir } = await newLab({ rooms: 15, messages: 50 })
    await lab.run(cmd('Set-CsPersistentChatPolicy', { Identity: step.input.policy, EnablePersistentChat: { bool: was } }))
    const ctx = stepContext(new LabHost(lab, dir))
    const out = await enableClientsKind.run(step, ctx)
    expect(out.outputs).toEqual({ before: was })
    expect(enabled(dir)).toBe(true)
    await enableClientsKind.undo?.(step, ctx, out.outputs)
    expect(enabled(dir)).toBe(was)
  })

  it('keeps the first value it found when it runs again after a crash past the Set', async () => {
    const { lab, dir } = await newLab({ rooms: 15, messages: 50 })
    await lab.run(cmd('Set-CsPersistentChatPolicy', { Identity: step.input.policy, EnablePersistentChat: { bool: false } }))
    const ctx = stepContext(new LabHost(lab, dir))
    await enableClientsKind.run(step, ctx)
    // The state never recorded the outputs (the process died): the second attempt finds true.
    const again = await enableClientsKind.run(step, ctx)
    expect(again.outputs).toEqual({ before: false })
    await enableClientsKind.undo?.(step, ctx, undefined)
    expect(enabled(dir)).toBe(false)
  })
})
