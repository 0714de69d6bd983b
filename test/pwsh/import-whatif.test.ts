/**
 * Import-CsPersistentChatData -WhatIf through the real pwsh and the real PowerShellHost, against
 * a stand-in cmdlet (standins/import-whatif.psm1) that reports its findings as Microsoft's does:
 * non-terminating errors on the error stream, warnings on the warning stream, and the -Report
 * HTML. Run locally (the host reads pwsh's stderr) and through the remoting launcher (up to
 * stand-ins for New-PSSession and Invoke-Command, standins/remoting.ps1): in both the import step
 * must end with its own message naming the findings, not with "N lines on standard error" nor a
 * launcher stopped at the first streamed error.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApprovalNeededError } from '../../runner/core/errors.js'
import type { Step } from '../../runner/core/step.js'
import type { Plan } from '../../runner/plan/types.js'
import { PowerShellHost } from '../../runner/runtimes/powershell/host.js'
import { renderRemoteLauncher } from '../../runner/runtimes/powershell/remote.js'
import { renderScript } from '../../runner/runtimes/powershell/script.js'
import type { RunContext } from '../../runner/steps/define.js'
import { makeStep } from '../../runner/steps/define.js'
import { exportId } from '../../runner/steps/kinds/export.js'
import { importKind, importWhatIfId } from '../../runner/steps/kinds/import.js'
import type { ImportInput } from '../../runner/steps/kinds/import.js'
import { loadPlan } from '../render/rendered.js'
import { pwshForSuite } from './locate.js'

const STANDINS = join(import.meta.dirname, 'standins')

describe('Import -WhatIf findings through the real pwsh', () => {
  const pwsh = pwshForSuite('test/pwsh/import-whatif.test.ts')
  if (pwsh === undefined) return
  let dir = ''
  let plan: Plan
  let step: Step<'import', ImportInput>
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cutover-whatif-'))
    const base = loadPlan('plans/contoso-lync2010.yaml')
    // The default (Kerberos) session: the stand-in New-PSSession takes no credential, and what is
    // tested here is how findings come back, not how the session authenticates.
    const environment = { ...base.environment, lyncModule: join(STANDINS, 'import-whatif.psm1') }
    delete environment.remoting
    plan = { ...base, environment }
    step = makeStep('import', importWhatIfId('gc2010'), 'cutover', 'Import gc2010 with -WhatIf', {
      source: 'gc2010', dbInstance: 'sql02.contoso.com\\PCHAT', file: join(dir, 'export-gc2010.zip'), report: join(dir, 'import-whatif-gc2010.html'), whatIf: true, warnings: 'stop', exportStep: exportId('gc2010'),
    } satisfies ImportInput)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const hostFor = (mode: 'local' | 'remote', findings: string): PowerShellHost => new PowerShellHost({
    shell: pwsh, scriptsDir: join(dir, `scripts-${mode}-${findings}`), timeoutMs: 120_000,
    env: { ...process.env, CUTOVER_STANDIN_FINDINGS: findings },
    render: (commands) => renderScript(step, plan, commands),
    ...(mode === 'remote' ? { launcher: (script: string) => readFileSync(join(STANDINS, 'remoting.ps1'), 'utf8') + renderRemoteLauncher(plan, step, script) } : {}),
  })
  const ctxFor = (host: PowerShellHost, log: string[]): RunContext => ({
    host, artifactsDir: join(dir, 'artifacts'), record: (id: string) => (id === exportId('gc2010') ? { status: 'done' } : undefined), progress: () => undefined, log: (line: string) => log.push(line),
  }) as unknown as RunContext

  for (const mode of ['local', 'remote'] as const) {
    it(`${mode}: the errors it writes to the error stream reach the import step, which names them`, async () => {
      const log: string[] = []
      const run = importKind.run(step, ctxFor(hostFor(mode, 'errors'), log))
      await expect(run).rejects.toThrow(/^Import -WhatIf found 2 error\(s\); fix them .*principal not provisioned: sip:gone@contoso\.com \| Category 'Archive': room name longer than 256 characters/)
      expect(log.filter((l) => l.startsWith('stderr:'))).toEqual([])
      expect(log).toContain(`-Report ${step.input.report}: 2 error(s), 1 warning(s)`)
    }, 120_000)

    it(`${mode}: its warnings reach the step, which waits for an approval of them (rooms.importWarnings: stop)`, async () => {
      const run = importKind.run(step, ctxFor(hostFor(mode, 'warnings'), []))
      await expect(run).rejects.toBeInstanceOf(ApprovalNeededError)
      await expect(run).rejects.toThrow(/^Import -WhatIf of gc2010 reported 1 warning\(s\) .*Room 'Ops': invitations turned off because its category has them off\. Fix them .* approve this step, or set rooms\.importWarnings: accept/)
    }, 120_000)

    it(`${mode}: a warning only the -Report HTML lists is read from it and waits for an approval too`, async () => {
      const log: string[] = []
      const run = importKind.run(step, ctxFor(hostFor(mode, 'report'), log))
      await expect(run).rejects.toThrow(/^Import -WhatIf of gc2010 reported 1 warning\(s\) .*Category 'Sales': 3 members not provisioned, dropped\./)
      expect(log).toContain(`-Report ${step.input.report}: 0 error(s), 1 warning(s)`)
    }, 120_000)

    it(`${mode}: a clean test run passes`, async () => {
      const out = await importKind.run(step, ctxFor(hostFor(mode, 'none'), []))
      expect(out.outputs?.whatIf).toBe(true)
      expect(out.warnings ?? []).toEqual([])
    }, 120_000)
  }
})
