/**
 * Remoting's second hop (issue 11, item 1): with environment.remote, a command in the session on
 * the Lync server that reaches a third machine is refused unless the session is CredSSP; the
 * preview says for each command where it runs and how it authenticates, and the launcher opens
 * a CredSSP session with a credential read from the environment (never written in the script).
 */
import { describe, expect, it } from 'vitest'
import type { Command } from '../../runner/core/command.js'
import { validatePlanText } from '../../runner/plan/load.js'
import type { Environment } from '../../runner/plan/types.js'
import { renderRemoteLauncher } from '../../runner/runtimes/powershell/remote.js'
import { describePlacement, placementLine, placementOf, winrmMachines } from '../../runner/steps/placement.js'
import { loadPlan } from '../render/rendered.js'

const base: Environment = { shell: 'powershell', lyncModule: 'Lync.psd1', workDir: 'D:\\cutover', scriptTimeout: '2h' }
const kerberos: Environment = { ...base, remote: 'lyncfe01.contoso.com' }
const credssp: Environment = { ...kerberos, remoting: { authentication: 'credssp', credential: { user: 'CONTOSO\\svc', password: '${env:PW}' } } }

const stopLegacy: Command = { cmdlet: 'Stop-Service', params: [['Name', ['GroupChatChannel']]], computer: 'gc01.contoso.com' }
const exportCmd: Command = { cmdlet: 'Export-CsPersistentChatData', params: [['DBInstance', 'sql01.contoso.com\\GC'], ['FileName', 'D:\\cutover\\x.zip']] }
const copy: Command = { cmdlet: 'Copy-Item', params: [['Path', '\\\\fs01.contoso.com\\GC\\*'], ['Destination', '\\\\fs02.contoso.com\\PC']] }
const stopTarget: Command = { cmdlet: 'Stop-CsWindowsService', params: [['Name', 'RTCCHAT'], ['ComputerName', 'pc01.contoso.com']] }
const disable: Command = { cmdlet: 'Disable-CsUser', params: [['Identity', 'sip:ocschat@contoso.com']] }
const local: Command = { cmdlet: 'Set-CsPersistentChatRoom', params: [['Identity', 'pchat\\room']] }

describe('where each command runs (runner/steps/placement.ts)', () => {
  it('refuses every second hop of a Kerberos session: Invoke-Command, SQL, shares, Cs services, AD', () => {
    for (const cmd of [stopLegacy, exportCmd, copy, stopTarget, disable]) expect(placementOf(cmd, kerberos).refused, cmd.cmdlet).toMatch(/^a second hop from lyncfe01\.contoso\.com to /)
    expect(placementOf(local, kerberos).refused).toBeUndefined()
    // Test-WSMan asks anonymously: nothing to delegate.
    expect(placementOf({ cmdlet: 'Test-WSMan', params: [['ComputerName', 'gc01.contoso.com']] }, kerberos).refused).toBeUndefined()
    expect(placementOf(exportCmd, kerberos).reaches).toEqual([{ machine: 'sql01.contoso.com', what: 'SQL Server instance', winrm: false }])
    expect(placementOf(copy, kerberos).reaches.map((r) => r.machine)).toEqual(['fs01.contoso.com', 'fs02.contoso.com'])
  })

  it('lets every hop through with CredSSP, and without remoting (each hop is the first)', () => {
    for (const cmd of [stopLegacy, exportCmd, copy, stopTarget, disable]) {
      expect(placementOf(cmd, credssp).refused, cmd.cmdlet).toBeUndefined()
      expect(placementOf(cmd, base).refused, cmd.cmdlet).toBeUndefined()
    }
  })

  it('says it in one line: machine, how, authentication', () => {
    expect(describePlacement(stopLegacy, base)).toBe('Stop-Service runs on gc01.contoso.com via Invoke-Command from this computer (the Lync server cutover runs on) (Kerberos)')
    expect(describePlacement(exportCmd, credssp)).toBe('Export-CsPersistentChatData runs on lyncfe01.contoso.com via PowerShell remoting (New-PSSession, Invoke-Command -FilePath) (CredSSP as CONTOSO\\svc); reaches sql01.contoso.com (SQL Server instance)')
    expect(describePlacement(stopLegacy, kerberos)).toMatch(/^Stop-Service runs on gc01\.contoso\.com via Invoke-Command from lyncfe01\.contoso\.com \(inside the remoting session\) \(Kerberos, second hop\); REFUSED: .*set environment\.remoting\.authentication: credssp/)
  })

  it('remembers the line of a command that reaches nothing, and gives every command the line worked out in full', () => {
    const values: readonly (string | readonly string[])[] = ['pchat\\room', '\\\\fs01.contoso.com\\x', ['a', '\\\\fs02.contoso.com\\y'], 'sql01.contoso.com\\GC', ['x']]
    const commands: Command[] = []
    for (const cmdlet of ['Set-CsPersistentChatRoom', 'Disable-CsUser', 'Test-WSMan', 'Copy-Item']) {
      for (const name of ['Identity', 'DBInstance', 'ComputerName', 'Path', 'dbinstance']) {
        for (const value of values) for (const computer of [undefined, 'gc01.contoso.com']) commands.push({ cmdlet, params: [['Name', 'n'], [name, value]], ...(computer === undefined ? {} : { computer }) })
      }
    }
    // Twice over, so the second pass reads what the first remembered.
    for (const pass of [1, 2]) {
      for (const env of [base, kerberos, credssp]) for (const cmd of commands) expect(describePlacement(cmd, env), `${pass} ${JSON.stringify(cmd)}`).toBe(placementLine(cmd, env))
    }
    // Commands alike but for what they name share one line.
    expect(describePlacement(local, kerberos)).toBe(describePlacement({ ...local, params: [['Identity', 'pchat\\other']] }, kerberos))
  })

  it('lists the machines reached through WinRM: the remote and every Invoke-Command target, once each', () => {
    expect(winrmMachines([stopLegacy, { ...stopLegacy, computer: 'GC01.contoso.com' }, exportCmd, { ...stopLegacy, computer: 'gc02.contoso.com' }], kerberos)).toEqual(['lyncfe01.contoso.com', 'gc01.contoso.com', 'gc02.contoso.com'])
  })
})

describe('the remoting launcher with CredSSP', () => {
  const plan = loadPlan('plans/contoso-lync2010.yaml')
  it('opens a CredSSP session with the credential read from the environment, never the value', () => {
    const text = renderRemoteLauncher(plan, { id: 'cutover.export.gc2010' }, 'C:\\s.ps1')
    expect(text).toContain("New-PSSession -ComputerName 'lyncfe01.contoso.com' -Authentication Credssp -Credential $cutoverCredential")
    expect(text).toContain("$cutoverPassword = [Environment]::GetEnvironmentVariable('CUTOVER_REMOTING_PASSWORD')")
    expect(text).toContain("$cutoverUser = 'CONTOSO\\svc-cutover'")
  })
  it('opens a plain Kerberos session by default', () => {
    const kplan = loadPlan('plans/contoso-lync2010.yaml', (t) => t.replace(/ {2}remoting:[\s\S]*?CUTOVER_REMOTING_PASSWORD}' }\n/, ''))
    const text = renderRemoteLauncher(kplan, { id: 'x' }, 'C:\\s.ps1')
    expect(text).toContain("$cutoverSession = New-PSSession -ComputerName 'lyncfe01.contoso.com'\n")
    expect(text).not.toContain('Credssp')
  })
})

describe('environment.remoting in validate', () => {
  const text = (remoting: string) => `version: 1\nname: t\nenvironment: { workDir: 'D:\\c', remote: fe.contoso.com, remoting: ${remoting} }\nsources: [{ id: a, product: lync2010-groupchat, pool: gc.contoso.com, servers: [gc.contoso.com], services: [S], database: { instance: 'sql.contoso.com\\GC', name: GC, backupDirectory: 'E:\\B' }, connection: '\${env:A}', lookupAccount: 'sip:x@contoso.com' }]\ntarget: { pool: pc.contoso.com, servers: [pc.contoso.com], services: [RTCCHAT], database: { instance: 'sql.contoso.com\\PC', name: mgc, backupDirectory: 'E:\\B' }, connection: '\${env:B}' }\ndowntime: { start: '2030-01-05T22:00', end: '2030-01-06T06:00', timezone: UTC }\n`
  const errors = (remoting: string) => validatePlanText(text(remoting), 't.yaml').findings.filter((f) => f.severity === 'error').map((f) => f.message)
  it('refuses credssp without a credential and a password that is not an ${env:NAME}', () => {
    expect(errors('{ authentication: credssp }').join('\n')).toMatch(/credssp needs credential/)
    expect(errors("{ authentication: credssp, credential: { user: 'C\\u', password: hunter2 } }").join('\n')).toMatch(/environment reference/)
    expect(errors("{ authentication: credssp, credential: { user: 'C\\u', password: '${env:PW}' } }")).toEqual([])
  })
})
