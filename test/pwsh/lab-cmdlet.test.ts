/** `cutover lab cmdlet`, the entry point the stub module delegates to (built CLI, a small lab). */
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { labCase } from '../helpers/lab.js'

const call = (labDir: string, request: unknown, base?: string) =>
  runCli(['lab', 'cmdlet', '--dir', labDir, ...(base === undefined ? [] : ['--base', base])], { input: typeof request === 'string' ? request : JSON.stringify(request), env: { CUTOVER_LAB_FAULTS: '' } })

describe('cutover lab cmdlet', () => {
  it('runs one emulated cmdlet and prints its result as one ASCII JSON line', async () => {
    const c = await labCase({ rooms: 15, messages: 200 })
    const r = await call(c.labDir, { cmdlet: 'Get-CsUser', params: [{ name: 'Identity', value: 'sip:ocschat@lab.cutover.test' }] })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^[ -~]+\n$/)
    const out = JSON.parse(r.stdout) as { ok: boolean; data: { SipAddress: string } }
    expect(out).toMatchObject({ ok: true, data: { SipAddress: 'sip:ocschat@lab.cutover.test' } })
  })

  it('fails as the cmdlet would (exit 1, ok false), and refuses a request it cannot read (exit 2)', async () => {
    const c = await labCase({ rooms: 15, messages: 200 })
    const missing = await call(c.labDir, { cmdlet: 'Get-CsUser', params: [{ name: 'Identity', value: 'sip:nobody@lab.cutover.test' }] })
    expect(missing.code).toBe(1)
    expect(JSON.parse(missing.stdout)).toMatchObject({ ok: false })
    const unknown = await call(c.labDir, { cmdlet: 'Get-CsNothing', params: [] })
    expect((JSON.parse(unknown.stdout) as { error: string }).error).toMatch(/is not recognized as the name of a cmdlet/)
    expect((await call(c.labDir, 'not json')).code).toBe(2)
    expect((await call(c.labDir, { cmdlet: 'Get-CsUser' })).code).toBe(2)
  })
})
