import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT, runCli } from '../helpers/cli.js'
import { labCase } from '../helpers/lab.js'

const CLOCK = { CUTOVER_CLOCK: '2026-12-01T12:00:00Z' }

describe('cutover plan (child process)', () => {
  it('states the window in the zone and in UTC, and how long until it opens', async () => {
    const r = await runCli(['plan', 'plans/contoso-lync2010.yaml'], { env: CLOCK })
    expect(r.stdout).toContain('downtime window: 2026-12-05 22:00 to 2026-12-06 06:00 America/New_York (2026-12-06T03:00:00.000Z to 2026-12-06T11:00:00.000Z UTC), margin 30m: opens in 6660 min')
  })

  it('shows secrets as the ${env:NAME} the plan wrote, never their value', async () => {
    const r = await runCli(['plan', 'plans/contoso-lync2010.yaml', '--format', 'json'], { env: { ...CLOCK, GC_SQL: 'Server=sql01;Password=hunter2-secret' } })
    expect(r.code).toBe(0)
    expect(r.stdout).not.toContain('hunter2-secret')
  })

  it('reads a SQL Server state when its secret is set, and previews anyway (a note, no secret) when the server cannot be reached', async () => {
    const secret = 'Server=127.0.0.1,1;Database=cutover;User Id=sa;Password=hunter2-state;Connect Timeout=5'
    const r = await runCli(['plan', 'plans/fabrikam-ocs2007r2.yaml'], { env: { ...CLOCK, CUTOVER_STATE_SQL: secret } })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('[pending] cutover.export.')
    expect(r.stderr).toMatch(/^cutover: note: the state in SQL Server could not be read \(.*cannot reach.*\); every step shows as pending\n$/)
    expect(r.stderr + r.stdout).not.toContain('hunter2-state')
  })

  it('JSON has a formatVersion and every step with its actions', async () => {
    const r = await runCli(['plan', 'plans/contoso-lync2010.yaml', '--format', 'json'], { env: CLOCK })
    const p = JSON.parse(r.stdout) as { formatVersion: number; steps: { id: string; status: string; actions: { type: string; script?: string }[] }[]; remaining: number; window: { state: string; opensInMinutes: number } }
    expect(p.formatVersion).toBe(1)
    expect(p.window).toMatchObject({ state: 'before', opensInMinutes: 6660 })
    const exp = p.steps.find((s) => s.id === 'cutover.export.gc2010')
    expect(exp?.actions.some((a) => a.type === 'commands' && a.script?.includes("Export-CsPersistentChatData -DBInstance 'sql01.contoso.com\\GC'"))).toBe(true)
    expect(p.remaining).toBe(p.steps.length)
  })

  it('--detailed-exitcode: 10 while steps remain, 0 once everything is done; --out writes the file', async () => {
    const c = await labCase()
    const before = await runCli(['plan', c.planFile, '--detailed-exitcode'])
    expect(before.code).toBe(10)
    expect((await runCli(['apply', c.planFile, '--yes', '--quiet'])).code).toBe(0)
    const out = join(c.dir, 'preview.md')
    const after = await runCli(['plan', c.planFile, '--detailed-exitcode', '--format', 'markdown', '--out', out])
    expect(after.code).toBe(0)
    expect(after.stdout).toBe('')
    expect(readFileSync(out, 'utf8')).toContain('**0** of 22 steps remain to run.')
    // Without the flag, a plan with steps left still exits 0.
    expect((await runCli(['plan', c.planFile])).code).toBe(0)
  })

  it('exits 1 on an invalid plan (findings on stderr) and 2 on usage errors, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-plan-'))
    const bad = await runCli(['plan', 'test/plans/bad/rule-window-order-end-before-start.yaml'], { cwd: ROOT })
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/window-order/)
    for (const args of [['plan'], ['plan', 'plans/lab.yaml', '--format', 'html'], ['plan', join(dir, 'none.yaml')], ['plan', 'plans/lab.yaml', '--bogus']]) {
      const r = await runCli(args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr.split('\n')[0]).toMatch(/^cutover: error: plan: /)
    }
    expect(existsSync(join(dir, '.cutover'))).toBe(false)
  })
})
