import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { notify } from '../../runner/cli/notify.js'
import type { NotifyEvent } from '../../runner/cli/notify.js'
import { Secrets } from '../../runner/plan/secrets.js'
import type { Plan } from '../../runner/plan/types.js'

const SECRET = 'Server=sql01;Password=hunter2'
/** Only what notifyEnv reads of a plan: the `${env:NAME}` references in it. */
const plan = { name: 'p', sources: [{ connection: '${env:GC_SQL}' }] } as unknown as Plan

function setup(timeoutMs?: number) {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-notify-'))
  const secrets = new Secrets({ GC_SQL: SECRET })
  secrets.resolve('${env:GC_SQL}')
  const warnings: string[] = []
  const stdout: string[] = []
  const env = { ...process.env, GC_SQL: SECRET, WEBHOOK_URL: 'https://example.invalid/hook' }
  return { dir, warnings, stdout, s: { plan, secrets, logFile: join(dir, 'notify.log'), out: { stdout: (l: string) => stdout.push(l), stderr: (l: string) => warnings.push(l) }, env, ...(timeoutMs === undefined ? {} : { timeoutMs }) } }
}

const event: NotifyEvent = { event: 'failed', plan: 'p', step: 'cutover.export.gc', message: `login failed for ${SECRET}`, at: '2026-12-06T03:00:00.000Z' }

describe('--notify: the command gets the event, never a secret, and never fails the run', () => {
  it('gets the event on stdin with the message redacted, and an environment without the plan\'s ${env:NAME} variables', async () => {
    const t = setup()
    const script = join(t.dir, 'n.mjs')
    writeFileSync(script, "import { readFileSync, writeFileSync } from 'node:fs'\nwriteFileSync(process.argv[2], JSON.stringify({ stdin: readFileSync(0, 'utf8'), sql: process.env.GC_SQL ?? null, hook: process.env.WEBHOOK_URL ?? null }))\n")
    await notify(`node ${JSON.stringify(script)} ${JSON.stringify(join(t.dir, 'got.json'))}`, event, t.s)
    const got = JSON.parse(readFileSync(join(t.dir, 'got.json'), 'utf8')) as { stdin: string; sql: string | null; hook: string | null }
    expect(got.stdin.endsWith('\n')).toBe(true)
    expect(JSON.parse(got.stdin)).toEqual({ ...event, message: 'login failed for ***' })
    expect(got.sql).toBeNull()
    expect(got.hook).toBe('https://example.invalid/hook')
    expect(t.warnings).toEqual([])
    expect(t.stdout).toEqual([])
    expect(readFileSync(t.s.logFile, 'utf8')).toMatch(/^2026-12-06T03:00:00\.000Z --notify failed at cutover\.export\.gc: ok\n/)
  })

  it('a command that fails, prints a secret, hangs or cannot start: one warning line each, its output redacted in the log, no throw', async () => {
    const t = setup(300)
    await notify(`echo "${SECRET}"; exit 4`, event, t.s)
    await notify('sleep 5', event, t.s)
    await notify('/nonexistent/notify-command', event, t.s)
    expect(t.warnings).toHaveLength(3)
    expect(t.warnings[0]).toBe(`cutover: warning: --notify failed: it exited 4; the run's outcome is unchanged; its output is in ${t.s.logFile}`)
    expect(t.warnings[1]).toMatch(/--notify failed: it did not finish within 0.3 s and was stopped/)
    expect(t.warnings[2]).toMatch(/--notify failed: it exited 127/)
    const log = readFileSync(t.s.logFile, 'utf8')
    expect(log).not.toContain('hunter2')
    expect(log).toContain('it exited 4\n***\n')
    expect(t.stdout).toEqual([])
  })
})
