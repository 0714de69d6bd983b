import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cutover, filesOf, newCase } from '../helpers/case-files.js'
import type { LabWorld } from '../../runner/lab/world.js'

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? Mutable<U>[] : T[K] extends object ? Mutable<T[K]> : T[K] }

describe('cutover check (child process): the readiness check on its own', () => {
  it('says ready (exit 0) on a ready lab, then one line per problem with what to run (exit 1), recording nothing', async () => {
    const c = await newCase()
    const ready = await cutover(c, ['check', 'plan.yaml'])
    expect(ready.code, ready.stderr).toBe(0)
    expect(ready.stdout.trim()).toBe('plan.yaml: ready (nothing found)')

    const file = join(c.labDir, 'lab.json')
    const world = JSON.parse(readFileSync(file, 'utf8')) as Mutable<LabWorld>
    for (const s of world.servers) if (s.fqdn === 'gc01.lab.cutover.test') s.winrm = false
    world.users = []
    writeFileSync(file, JSON.stringify(world))
    const r = await cutover(c, ['check', 'plan.yaml'])
    expect(r.code).toBe(1)
    const lines = r.stdout.trim().split('\n')
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/^winrm: gc01\.lab\.cutover\.test does not answer WinRM .*; to fix: on gc01\.lab\.cutover\.test, as an administrator: Enable-PSRemoting -Force/)
    expect(lines[1]).toMatch(/^lookup-account: the Lookup Server account sip:ocschat@lab\.cutover\.test \(gc2010\) is not found/)
    expect(lines[2]).toBe('plan.yaml: 2 problems found')
    // Read-only: no state, no journal.
    expect(existsSync(filesOf(c).state)).toBe(false)
    expect(existsSync(filesOf(c).journal)).toBe(false)
  })

  it('after the cutover, says the Lookup Server account and the legacy pool are gone as planned, not missing', async () => {
    const c = await newCase()
    expect((await cutover(c, ['apply', 'plan.yaml', '--yes', '--quiet'])).code).toBe(0)
    const r = await cutover(c, ['check', 'plan.yaml'])
    expect(r.code, r.stdout).toBe(0)
    expect(r.stdout.trim()).toBe('plan.yaml: ready (nothing found)')
    expect(r.stderr).toContain('cutover: the Lookup Server account sip:ocschat@lab.cutover.test (gc2010) is disabled as planned (cutover.lookup-account is done): Get-CsUser no longer finds it')
    expect(r.stderr).toContain('cutover: the Group Chat pool gcpool.lab.cutover.test (gc2010) is no longer a trusted application pool: removed as planned (decommission.1.remove-trusted-application is done)')
  })
})
