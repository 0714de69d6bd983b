/**
 * Errors that name things (issue 13, item 10): a full disk or a folder where a file should be
 * says which file and which step; `report --out` and `plan --out` write whole files or none;
 * `Connect Timeout=abc` is refused by name instead of reaching the driver as NaN.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { manualClock } from '../../runner/core/clock.js'
import { fileError } from '../../runner/core/file-problem.js'
import { main } from '../../runner/cli/main.js'
import type { Output } from '../../runner/cli/output.js'
import { mssqlConfig } from '../../runner/sql/connection.js'
import { FileStateStore } from '../../runner/state/file-store.js'
import { INSIDE, fakeKind, fakeStep, makeEngine } from '../helpers/engine-fakes.js'
import { labCase } from '../helpers/lab.js'

function capture(): Output & { lines: string[] } {
  const lines: string[] = []
  return { lines, stdout: (l: string) => { lines.push(l) }, stderr: (l: string) => { lines.push(l) } }
}

describe('file-system failures name the file and the step', () => {
  it('ENOSPC: says the disk is full and which file, keeping the cause', () => {
    const raw = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
    const named = fileError(raw, 'save the state to', '/srv/.cutover/x.state.json') as Error
    expect(named.message).toBe('cannot save the state to /srv/.cutover/x.state.json: the disk is full (ENOSPC)')
    expect(named.cause).toBe(raw)
    // Anything else is left as it is.
    const other = new Error('boom')
    expect(fileError(other, 'write', '/x')).toBe(other)
  })

  it('EISDIR where the state file should be: the error names the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-fserr-'))
    const store = new FileStateStore(join(dir, '.cutover'), 'lab')
    mkdirSync(store.paths.state, { recursive: true })
    const steps = [fakeStep('cutover.a', 'work')]
    const run = makeEngine({ steps, kinds: [fakeKind('work', [])], store, clock: manualClock(INSIDE) }).engine.apply()
    await expect(run).rejects.toThrow(`cannot read the state from ${store.paths.state}: it is a folder, not a file (EISDIR)`)
  })

  it('EISDIR where a step log should be: the step fails naming itself and the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-fserr-'))
    const store = new FileStateStore(join(dir, '.cutover'), 'lab')
    const kind = fakeKind('work', [], { run: (_s, ctx) => { ctx.log('hello'); return {} } })
    const steps = [fakeStep('cutover.a', 'work')]
    const e = makeEngine({ steps, kinds: [kind], store, clock: manualClock(INSIDE) })
    // The artifacts folder makeEngine chose: put a folder where the step's log goes.
    const logs = (e.engine as unknown as { setup: { artifactsDir: string } }).setup.artifactsDir
    mkdirSync(join(logs, 'logs', 'cutover.a.log'), { recursive: true })
    const result = await e.engine.apply()
    expect(result).toMatchObject({ outcome: 'failed', step: 'cutover.a', error: `cannot write the log of cutover.a to ${join(logs, 'logs', 'cutover.a.log')}: it is a folder, not a file (EISDIR)` })
  })

  it('report --out onto a folder names it and leaves no partial file; onto a file, replaces it whole', async () => {
    const c = await labCase()
    const folder = join(c.dir, 'out')
    mkdirSync(folder)
    const failed = capture()
    expect(await main(['report', c.planFile, '--out', folder], failed)).toBe(1)
    expect(failed.lines.join('\n')).toContain(`cannot write the report to ${folder}: it is a folder, not a file (EISDIR)`)
    expect(readdirSync(c.dir).filter((f) => f.includes('.tmp-'))).toEqual([])

    const file = join(c.dir, 'report.md')
    writeFileSync(file, 'old')
    expect(await main(['report', c.planFile, '--out', file], capture())).toBe(0)
    expect(readFileSync(file, 'utf8')).toMatch(/^# /)
    expect(readdirSync(c.dir).filter((f) => f.includes('.tmp-'))).toEqual([])
  })
})

describe('connection strings', () => {
  it('refuses Connect Timeout=abc and Request Timeout=x by name instead of NaN', () => {
    const base = 'Server=h;User Id=u;Password=p4ssword'
    expect(() => mssqlConfig(`${base};Connect Timeout=abc`)).toThrow('Connect Timeout in the connection string is not a number of seconds (0 or more); write e.g. Connect Timeout=30')
    expect(() => mssqlConfig(`${base};Request Timeout=x`)).toThrow(/Request Timeout in the connection string is not a number of milliseconds/)
    expect(mssqlConfig(`${base};Connect Timeout=30`).connectionTimeout).toBe(30_000)
  })
})
