/**
 * The Lookup Server account step (issue 11 item 8): only Get-CsUser's "not found" means the
 * account is gone; any other failure (access denied, a broken session) fails the step. One step
 * per distinct Lookup Server account of the plan's sources.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compile } from '../../runner/compile/compile.js'
import type { Command } from '../../runner/core/command.js'
import type { CommandResult, Host } from '../../runner/core/host.js'
import type { Step } from '../../runner/core/step.js'
import { LAB_NAMES } from '../../runner/lab/lab-names.js'
import { validatePlanText } from '../../runner/plan/load.js'
import type { Plan } from '../../runner/plan/types.js'
import { platformOf } from '../../runner/runtimes/index.js'
import { LabHost } from '../../runner/runtimes/lab/host.js'
import { lookupAccountKind } from '../../runner/steps/kinds/lookup-account.js'
import type { LookupAccountInput } from '../../runner/steps/kinds/lookup-account.js'
import { labPlan } from '../helpers/engine-fakes.js'
import { ROOT } from '../helpers/cli.js'
import { newLab } from '../lab/fixture.js'
import { stepContext } from './run-context.js'

function planAt(file: string): Plan {
  const r = validatePlanText(readFileSync(join(ROOT, file), 'utf8'), file)
  if (r.plan === undefined) throw new Error(`${file} is invalid: ${JSON.stringify(r.findings)}`)
  return r.plan
}

const lookupSteps = (plan: Plan) => compile(plan, platformOf(plan)).filter((s): s is Step<'lookup-account', LookupAccountInput> => s.kind === 'lookup-account')
const labStep = () => lookupSteps(labPlan())[0] as Step<'lookup-account', LookupAccountInput>

/** A host whose Get-CsUser fails with `message`; it records every command it is asked to run. */
function failingHost(message: string, ran: Command[] = []): Host {
  return {
    name: 'stand-in',
    async run(commands: readonly Command[]): Promise<CommandResult[]> {
      ran.push(...commands)
      if (commands.some((c) => c.cmdlet === 'Get-CsUser')) throw new Error(`step cutover.lookup-account: PowerShell reported: ${message}`)
      return commands.map(() => ({ output: [] }))
    },
    close: async () => undefined,
  }
}

describe('lookup-account: one step per Lookup Server account', () => {
  it('gives fabrikam its second source its own step, after the endpoint\'s account, with no custom script', () => {
    const plan = planAt('plans/fabrikam-ocs2007r2.yaml')
    expect(lookupSteps(plan).map((s) => [s.id, s.input.sipAddress, s.input.sources])).toEqual([
      ['cutover.lookup-account', 'sip:groupchat@fabrikam.com', ['hq']],
      ['cutover.lookup-account.emea', 'sip:groupchat-emea@fabrikam.com', ['emea']],
    ])
    expect(plan.decommission.some((d) => 'powershell' in d && d.powershell.script.includes('Disable-CsUser'))).toBe(false)
    const ids: string[] = compile(plan, platformOf(plan)).map((s) => s.id)
    expect(ids.indexOf('cutover.lookup-account.emea')).toBe(ids.indexOf('cutover.lookup-account') + 1)
    expect(ids.indexOf('cutover.lookup-account.emea')).toBeLessThan(ids.indexOf('cutover.endpoint'))
  })

  it('keeps one step for sources that share an account (the lab plan)', () => {
    expect(lookupSteps(labPlan()).map((s) => s.id)).toEqual(['cutover.lookup-account'])
  })
})

describe('lookup-account: only "not found" means done', () => {
  it('fails, and disables nothing, when Get-CsUser is refused (access denied)', async () => {
    const ran: Command[] = []
    const ctx = stepContext(failingHost('Get-CsUser : Access is denied.', ran))
    await expect(lookupAccountKind.run(labStep(), ctx)).rejects.toThrow(/Access is denied/)
    await expect(lookupAccountKind.check?.(labStep(), ctx)).rejects.toThrow(/Access is denied/)
    expect(ran.map((c) => c.cmdlet)).toEqual(['Get-CsUser', 'Get-CsUser'])
  })

  it('fails when the Lync session is broken (the module did not load)', async () => {
    const ctx = stepContext(failingHost("The term 'Get-CsUser' is not recognized as the name of a cmdlet, function, script file, or operable program."))
    await expect(lookupAccountKind.run(labStep(), ctx)).rejects.toThrow(/not recognized/)
  })

  it('is done, with nothing to disable, when Get-CsUser says "not found"', async () => {
    const ran: Command[] = []
    const ctx = stepContext(failingHost(`Get-CsUser : Management object not found for identity "${LAB_NAMES.lookupAccount}".`, ran))
    await expect(lookupAccountKind.run(labStep(), ctx)).resolves.toEqual({ outputs: { disabled: false } })
    await expect(lookupAccountKind.check?.(labStep(), ctx)).resolves.toBe(true)
    expect(ran.map((c) => c.cmdlet)).not.toContain('Disable-CsUser')
  })

  it('on the lab: an injected Get-CsUser failure fails the step; then it disables, its check sees the account gone, rollback enables it', async () => {
    const { lab, dir } = await newLab({ rooms: 15, messages: 50, faults: 'fail:Get-CsUser@1' })
    const ctx = stepContext(new LabHost(lab, dir))
    await expect(lookupAccountKind.run(labStep(), ctx)).rejects.toThrow(/injected failure/)
    const done = await lookupAccountKind.run(labStep(), ctx)
    expect(done.outputs).toMatchObject({ disabled: true, registrarPool: LAB_NAMES.registrarPool })
    // Disabled: Get-CsUser no longer returns it (as Microsoft documents), which is "done".
    await expect(lookupAccountKind.check?.(labStep(), ctx)).resolves.toBe(true)
    await expect(lookupAccountKind.run(labStep(), ctx)).resolves.toEqual({ outputs: { disabled: false } })
    await lookupAccountKind.undo?.(labStep(), ctx, done.outputs)
    await expect(lookupAccountKind.check?.(labStep(), ctx)).resolves.toBe(false)
  })
})
