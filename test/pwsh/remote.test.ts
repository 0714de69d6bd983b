/**
 * The remoting launcher (templates/remote.ps1.hbs) in the real pwsh, up to a stubbed
 * New-PSSession: the server name and a hostile script path arrive byte for byte, the step's
 * script runs through Invoke-Command -Session -FilePath and its result line comes back, the
 * session is removed; a session that cannot open gives the launcher's own result line.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderRemoteLauncher } from '../../runner/runtimes/powershell/remote.js'
import { HOSTILE_PLAN, loadPlan, renderPlan } from '../render/rendered.js'
import { pwshForSuite } from './locate.js'
import { prepareStubs, runScripts } from './stub-run.js'
import type { StubDir } from './stub-run.js'

describe('the remoting launcher in pwsh', () => {
  const pwsh = pwshForSuite('test/pwsh/remote.test.ts')
  if (pwsh === undefined) return
  let dir = ''
  let stubs: StubDir
  let scriptPath = ''
  let launcher = ''
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cutover-remote-'))
    stubs = prepareStubs(join(dir, 'stubs'))
    const plan = loadPlan(HOSTILE_PLAN)
    const step = renderPlan(HOSTILE_PLAN).find((s) => s.step.id === 'prepare.workdir') ?? renderPlan(HOSTILE_PLAN)[0]
    if (step === undefined) throw new Error('the hostile plan renders no script')
    // A folder name a quoting bug would trip on; Linux allows every one of these characters.
    const folder = join(dir, "O'Brien ’s ‘run‚‛ $(x) `n; # <#")
    mkdirSync(folder)
    scriptPath = join(folder, `${step.step.id}-1.ps1`)
    writeFileSync(scriptPath, '\uFEFF' + step.text)
    launcher = renderRemoteLauncher(plan, step.step, scriptPath)
  }, 120_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('opens the session on environment.remote, runs the script there, and removes the session', () => {
    const [run] = runScripts(pwsh, stubs, [{ name: 'launcher.ps1', text: launcher }])
    expect(run?.result?.ok, run?.result?.error).toBe(true)
    const calls = run?.calls ?? []
    expect(calls[0]?.cmdlet).toBe('New-PSSession')
    expect(calls[0]?.params.ComputerName?.value).toEqual(['lyncfe01.contoso.com'])
    expect(calls[1]?.cmdlet).toBe('Invoke-Command')
    expect(calls[1]?.params.FilePath?.value).toBe(scriptPath)
    expect(calls[2]?.cmdlet).toBe('Import-Module') // the step's own script, run "there"
    expect(calls.at(-1)?.cmdlet).toBe('Remove-PSSession')
  })

  it('with CredSSP, opens the session with a PSCredential made from the environment, the password in no file', () => {
    const plan = loadPlan('plans/contoso-lync2010.yaml')
    const text = renderRemoteLauncher(plan, { id: 'cutover.export.gc2010' }, scriptPath)
    expect(text).not.toContain('s3cret-of-the-test')
    const [run] = runScripts(pwsh, stubs, [{ name: 'launcher-credssp.ps1', text }], { CUTOVER_REMOTING_PASSWORD: 's3cret-of-the-test' })
    expect(run?.result?.ok, run?.result?.error).toBe(true)
    const open = run?.calls[0]
    expect(open?.cmdlet).toBe('New-PSSession')
    expect(open?.params.Authentication?.value).toBe('Credssp')
    expect(open?.params.Credential?.type).toBe('System.Management.Automation.PSCredential')
    expect(JSON.stringify(run?.calls ?? [])).not.toContain('s3cret-of-the-test')
  })

  it('with CredSSP and the password variable unset, says which variable, and opens nothing', () => {
    const plan = loadPlan('plans/contoso-lync2010.yaml')
    const [run] = runScripts(pwsh, stubs, [{ name: 'launcher-nopw.ps1', text: renderRemoteLauncher(plan, { id: 'x' }, scriptPath) }], { CUTOVER_REMOTING_PASSWORD: '' })
    expect(run?.result?.ok).toBe(false)
    expect(run?.result?.error).toContain('the environment variable CUTOVER_REMOTING_PASSWORD is not set')
    expect(run?.calls).toEqual([])
  })

  it('reports a session that cannot open on a result line of its own', () => {
    const [run] = runScripts(pwsh, stubs, [{ name: 'launcher.ps1', text: launcher }], { CUTOVER_STUB_NO_SESSION: '1' })
    expect(run?.result?.ok).toBe(false)
    expect(run?.result?.error).toMatch(/^cannot open a PowerShell remoting session to lyncfe01\.contoso\.com \(check WinRM on the server and that you may connect to it\): Connecting to remote server lyncfe01\.contoso\.com failed/)
    expect(run?.calls.map((c) => c.cmdlet)).toEqual(['New-PSSession'])
  })
})
