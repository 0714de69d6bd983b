/**
 * `apply` on a plan for real Lync servers (environment.shell: powershell): nothing of the Lync side
 * runs here, but the first steps read the stores through SQL Server, and what an admin sees when
 * that cannot work must be one clear line, recorded, with no secret anywhere.
 */
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT, runCli } from '../helpers/cli.js'

function planCopy(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-ps-apply-'))
  const file = join(dir, 'contoso.yaml')
  copyFileSync(join(ROOT, 'plans', 'contoso-lync2010.yaml'), file)
  return { dir, file }
}

/** Every file cutover wrote beside the plan, as text. */
function written(dir: string): string {
  const out: string[] = []
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name)
      if (statSync(p).isDirectory()) walk(p)
      else out.push(readFileSync(p, 'utf8'))
    }
  }
  walk(join(dir, '.cutover'))
  return out.join('\n')
}

const stateOf = (dir: string) => JSON.parse(readFileSync(join(dir, '.cutover', 'contoso-groupchat.state.json'), 'utf8')) as { steps: Record<string, { status: string; error?: string }> }

describe('apply with environment.shell: powershell', () => {
  it('stops at the inventory when the connection variable is not set: one line naming it, the step failed', async () => {
    const { dir, file } = planCopy()
    const r = await runCli(['apply', file, '--yes', '--quiet'], { env: { GC_SQL: '', PCHAT_SQL: '' } })
    expect(r.code).toBe(1)
    expect(r.stderr.split('\n')[0]).toBe('cutover: error: preflight.inventory.gc2010 failed: environment variable GC_SQL is not set (the plan refers to ${env:GC_SQL})')
    expect(stateOf(dir).steps['preflight.inventory.gc2010']?.status).toBe('failed')
  })

  it('stops at the inventory when SQL Server cannot be reached, naming the store, and no password reaches output, state, journal or logs', async () => {
    const { dir, file } = planCopy()
    const secret = 'Server=127.0.0.1,1;Database=GroupChat;User Id=cutover;Password=hunter2-gc;Connect Timeout=5'
    const r = await runCli(['apply', file, '--yes', '--quiet'], { env: { GC_SQL: secret, PCHAT_SQL: secret } })
    expect(r.code).toBe(1)
    expect(r.stderr.split('\n')[0]).toMatch(/^cutover: error: preflight\.inventory\.gc2010 failed: cannot reach the legacy store of gc2010 \(sql01\.contoso\.com\\GC, GroupChat\)/)
    expect(r.stdout + r.stderr).not.toContain('hunter2-gc')
    expect(written(dir)).not.toContain('hunter2-gc')
    expect(stateOf(dir).steps['preflight.inventory.gc2010']?.error).toMatch(/cannot reach/)
  })
})
