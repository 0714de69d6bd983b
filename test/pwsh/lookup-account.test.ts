/**
 * The lookup-account step's scripts in the real pwsh, against a stand-in Get-CsUser that fails
 * the way a real one can: "not found" (the account is gone: done), or access denied (a
 * permission problem: the step must fail, not pass, and disable nothing).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compile } from '../../runner/compile/compile.js'
import type { Step } from '../../runner/core/step.js'
import type { Plan } from '../../runner/plan/types.js'
import { platformOf } from '../../runner/runtimes/index.js'
import { PowerShellHost } from '../../runner/runtimes/powershell/host.js'
import { renderScript } from '../../runner/runtimes/powershell/script.js'
import { lookupAccountKind } from '../../runner/steps/kinds/lookup-account.js'
import type { LookupAccountInput } from '../../runner/steps/kinds/lookup-account.js'
import { labPlan } from '../helpers/engine-fakes.js'
import { stepContext } from '../steps/run-context.js'
import { pwshForSuite } from './locate.js'

// Get-CsUser as its page documents the call (-Identity); how it fails is chosen per run.
const STANDIN = `
function Get-CsUser {
  [CmdletBinding()] param([Parameter(Position = 0)] [string]$Identity)
  switch ($env:CUTOVER_TEST_GETCSUSER) {
    'denied' { throw (New-Object System.UnauthorizedAccessException 'Access is denied.') }
    'notfound' { throw "Management object not found for identity \`"$Identity\`"." }
    default { [pscustomobject]@{ SipAddress = $Identity; Enabled = $true; DistinguishedName = 'CN=ocschat,OU=Lync,DC=lab'; RegistrarPool = 'fe.lab' } }
  }
}
function Disable-CsUser {
  [CmdletBinding()] param([Parameter(Mandatory = $true)] [string]$Identity)
  Add-Content -LiteralPath $env:CUTOVER_TEST_DISABLED -Value $Identity
}
Export-ModuleMember -Function Get-CsUser, Disable-CsUser
`

describe('lookup-account in pwsh: only "not found" means done', () => {
  const pwsh = pwshForSuite('test/pwsh/lookup-account.test.ts')
  if (pwsh === undefined) return
  let dir = ''
  let plan: Plan
  let step: Step<'lookup-account', LookupAccountInput>
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cutover-lookup-'))
    const module = join(dir, 'Lync.psm1')
    writeFileSync(module, STANDIN)
    const lab = labPlan()
    plan = { ...lab, environment: { ...lab.environment, lyncModule: module } }
    step = compile(plan, platformOf(plan)).find((s): s is Step<'lookup-account', LookupAccountInput> => s.kind === 'lookup-account') as Step<'lookup-account', LookupAccountInput>
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const run = (how: string) => {
    const disabled = join(dir, `disabled-${how}.txt`)
    const host = new PowerShellHost({
      shell: pwsh, scriptsDir: join(dir, `scripts-${how}`), timeoutMs: 60_000,
      render: (commands) => renderScript(step, plan, commands),
      env: { ...process.env, CUTOVER_TEST_GETCSUSER: how, CUTOVER_TEST_DISABLED: disabled },
    })
    return { ctx: stepContext(host), disabled }
  }

  it('fails when Get-CsUser is refused (access denied), and disables nothing', async () => {
    const { ctx, disabled } = run('denied')
    await expect(lookupAccountKind.run(step, ctx)).rejects.toThrow(/Access is denied/)
    await expect(lookupAccountKind.check?.(step, ctx)).rejects.toThrow(/Access is denied/)
    expect(existsSync(disabled)).toBe(false)
  })

  it('is done, with nothing to disable, when Get-CsUser says "not found"', async () => {
    const { ctx, disabled } = run('notfound')
    await expect(lookupAccountKind.run(step, ctx)).resolves.toEqual({ outputs: { disabled: false } })
    expect(existsSync(disabled)).toBe(false)
  })

  it('disables an enabled account', async () => {
    const { ctx, disabled } = run('found')
    await expect(lookupAccountKind.run(step, ctx)).resolves.toMatchObject({ outputs: { disabled: true, registrarPool: 'fe.lab' } })
    expect(readFileSync(disabled, 'utf8').trim()).toBe(step.input.sipAddress)
  })
})
