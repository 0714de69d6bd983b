/**
 * The whole lab migration through the real PowerShell host: test/pwsh/lab-pwsh.yaml (shell pwsh) is
 * applied with `cutover apply --yes`; every step's script runs in pwsh against the generated Lync
 * stub module, the stores and backups are the lab's (runner/cli/lab-powershell-runtime.ts). The run
 * must end verified, with the same stores, world and file store as plans/lab.yaml on the lab host.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT, runCli } from '../helpers/cli.js'
import type { CliResult } from '../helpers/cli.js'
import { runDigest, said } from '../helpers/crash.js'
import { labCase } from '../helpers/lab.js'
import type { LabCase } from '../helpers/lab.js'
import { pwshForSuite } from './locate.js'
import { generateStubModule } from './stubs/generate.js'

const LAB = { rooms: 16, messages: 3000 }
const QUIET = { CUTOVER_CRASH_AT: '', CUTOVER_LAB_FAULTS: '', CUTOVER_CLOCK: '2026-12-05T22:05:00-05:00' }

/** test/pwsh/lab-pwsh.yaml beside a fresh lab in .cutover/lab (labCase's folder). */
function pwshCase(): Promise<LabCase> {
  const text = readFileSync(join(ROOT, 'test', 'pwsh', 'lab-pwsh.yaml'), 'utf8').replaceAll('.cutover/lab-pwsh', '.cutover/lab')
  return labCase({ ...LAB, edit: () => text })
}

describe('the lab migration through the real PowerShell host', () => {
  const pwsh = pwshForSuite('test/pwsh/lab-run.test.ts')
  if (pwsh === undefined) return
  let dir = ''
  let module = ''
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cutover-labpwsh-'))
    module = join(dir, 'Lync.psm1')
    writeFileSync(module, '\uFEFF' + generateStubModule(undefined, { shims: true }).text)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const applyPwsh = (c: LabCase, env: Record<string, string> = {}): Promise<CliResult> =>
    runCli(['apply', c.planFile, '--yes', '--quiet'], { cwd: c.dir, env: { ...QUIET, CUTOVER_LAB_PWSH_MODULE: module, CUTOVER_LAB_PWSH_SHELL: pwsh, ...env } })

  it('ends verified, every step run by pwsh, with the stores of the lab host\'s run', async () => {
    const reference = await labCase(LAB)
    const viaPwsh = await pwshCase()
    const [lab, ps] = await Promise.all([
      runCli(['apply', reference.planFile, '--yes', '--quiet'], { cwd: reference.dir, env: QUIET }),
      applyPwsh(viaPwsh),
    ])
    expect(lab.code, said(lab)).toBe(0)
    expect(ps.code, said(ps)).toBe(0)
    const scripts = readdirSync(join(viaPwsh.dir, '.cutover', 'lab-pwsh', 'scripts')).filter((f) => f.endsWith('.ps1'))
    console.info(`lab run through pwsh: ${String(scripts.length)} scripts run by PowerShellHost in pwsh`)
    expect(scripts.length).toBeGreaterThan(10)
    expect(runDigest(viaPwsh)).toEqual(runDigest(reference))
  }, 600_000)
})
