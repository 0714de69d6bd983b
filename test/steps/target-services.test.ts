/**
 * target-services (issue 11 item 10): Stop-CsWindowsService also stops the services that depend
 * on the named one, Start-CsWindowsService does not start them (the lab emulates both, as
 * Microsoft documents): the start starts again everything the stop stopped.
 */
import { describe, expect, it } from 'vitest'
import { compile } from '../../runner/compile/compile.js'
import type { Step } from '../../runner/core/step.js'
import { LAB_NAMES } from '../../runner/lab/lab-names.js'
import { readWorld } from '../../runner/lab/world.js'
import { platformOf } from '../../runner/runtimes/index.js'
import { LabHost } from '../../runner/runtimes/lab/host.js'
import type { StepRecord } from '../../runner/state/types.js'
import { startTargetId, stopTargetId, targetServicesKind } from '../../runner/steps/kinds/target-services.js'
import type { TargetServicesInput } from '../../runner/steps/kinds/target-services.js'
import { labPlan } from '../helpers/engine-fakes.js'
import { cmd, newLab } from '../lab/fixture.js'
import { stepContext } from './run-context.js'

const plan = labPlan()
const steps = compile(plan, platformOf(plan)).filter((s): s is Step<'target-services', TargetServicesInput> => s.kind === 'target-services')
const stop = steps.find((s) => s.id === stopTargetId()) as Step<'target-services', TargetServicesInput>
const start = steps.find((s) => s.id === startTargetId()) as Step<'target-services', TargetServicesInput>
const status = (dir: string) => Object.fromEntries((readWorld(dir).servers.find((s) => s.fqdn === LAB_NAMES.targetServer)?.services ?? []).map((s) => [s.name, s.status]))
const BOTH_RUNNING = { [LAB_NAMES.targetService]: 'Running', [LAB_NAMES.targetDependentService]: 'Running' }
const BOTH_STOPPED = { [LAB_NAMES.targetService]: 'Stopped', [LAB_NAMES.targetDependentService]: 'Stopped' }

describe('target-services: start what the stop stopped', () => {
  it('the lab: Stop-CsWindowsService stops the dependent service, Start-CsWindowsService does not start it', async () => {
    const { lab, dir } = await newLab({ rooms: 15, messages: 50 })
    await lab.run(cmd('Stop-CsWindowsService', { Name: LAB_NAMES.targetService, ComputerName: LAB_NAMES.targetServer }))
    expect(status(dir)).toEqual(BOTH_STOPPED)
    await lab.run(cmd('Start-CsWindowsService', { Name: LAB_NAMES.targetService, ComputerName: LAB_NAMES.targetServer }))
    expect(status(dir)).toEqual({ [LAB_NAMES.targetService]: 'Running', [LAB_NAMES.targetDependentService]: 'Stopped' })
  })

  it('records what the stop stopped, dependents included, and the start starts them all', async () => {
    const { lab, dir } = await newLab({ rooms: 15, messages: 50 })
    const log: string[] = []
    const stopCtx = stepContext(new LabHost(lab, dir), {}, log)
    const out = await targetServicesKind.run(stop, stopCtx)
    expect(status(dir)).toEqual(BOTH_STOPPED)
    expect(out.outputs?.stopped).toEqual([
      { server: LAB_NAMES.targetServer, name: LAB_NAMES.targetService },
      { server: LAB_NAMES.targetServer, name: LAB_NAMES.targetDependentService },
    ])
    expect(log.join('\n')).toContain(`also stopped (they depend on ${LAB_NAMES.targetService}): ${LAB_NAMES.targetDependentService}`)
    const done = { status: 'done', outputs: out.outputs } as unknown as StepRecord
    await targetServicesKind.run(start, stepContext(new LabHost(lab, dir), { [stopTargetId()]: done }))
    expect(status(dir)).toEqual(BOTH_RUNNING)
  })

  it('rollback of the stop starts the dependents too, and a stop run again after a crash still knows them', async () => {
    const { lab, dir } = await newLab({ rooms: 15, messages: 50 })
    const ctx = stepContext(new LabHost(lab, dir))
    await targetServicesKind.run(stop, ctx)
    // The process died before the state recorded the outputs: the stop runs again.
    const again = await targetServicesKind.run(stop, ctx)
    expect(again.outputs?.stopped).toHaveLength(2)
    await targetServicesKind.undo?.(stop, ctx, undefined)
    expect(status(dir)).toEqual(BOTH_RUNNING)
  })
})
