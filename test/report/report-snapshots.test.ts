import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { labCase } from '../helpers/lab.js'
import type { LabCase } from '../helpers/lab.js'
import { htmlOutline } from './html-outline.js'
import { normalise } from './normalise.js'

// Runs are placed inside plans/lab.yaml's window (03:00 to 11:00 UTC) at fixed instants, so no
// recorded time can coincide with the window's bounds, which the snapshots keep.
const FIRST = { CUTOVER_CLOCK: '2026-12-06T04:00:00Z' }
const LATER = { CUTOVER_CLOCK: '2026-12-06T04:10:00Z' }
const WINDOW = ['2026-12-06T03:00:00.000Z', '2026-12-06T11:00:00.000Z']

/** report.md as apply left it, and the page `cutover report --format html` writes, normalised. */
async function reports(c: LabCase): Promise<{ md: string; html: string }> {
  const file = join(c.dir, 'report.html')
  const r = await runCli(['report', c.planFile, '--format', 'html', '--out', file], { env: LATER })
  expect(r.code, r.stderr).toBe(0)
  const v = { dir: c.dir, keep: WINDOW }
  return {
    md: normalise(readFileSync(join(c.dir, '.cutover', 'lab', 'report.md'), 'utf8'), v),
    html: normalise(htmlOutline(readFileSync(file, 'utf8')), v),
  }
}

describe('report snapshots (times, durations, paths, pids normalised)', () => {
  it('a clean run', async () => {
    const c = await labCase()
    expect((await runCli(['apply', c.planFile, '--yes', '--quiet'], { env: FIRST })).code).toBe(0)
    const { md, html } = await reports(c)
    await expect(md).toMatchFileSnapshot(join('__snapshots__', 'clean.md'))
    await expect(html).toMatchFileSnapshot(join('__snapshots__', 'clean.html.txt'))
    expect(html).not.toContain('[tr.diff]')
  })

  it('a failed verification: the missing room highlighted with its reason', async () => {
    const c = await labCase()
    const r = await runCli(['apply', c.planFile, '--yes', '--quiet'], { env: { ...FIRST, CUTOVER_LAB_FAULTS: 'verify:missing-room' } })
    expect(r.code).toBe(1)
    const { md, html } = await reports(c)
    await expect(md).toMatchFileSnapshot(join('__snapshots__', 'failed-verification.md'))
    await expect(html).toMatchFileSnapshot(join('__snapshots__', 'failed-verification.html.txt'))
    const diffRows = html.split('\n').filter((l) => l.startsWith('[tr.diff]'))
    expect(diffRows).toHaveLength(1)
    expect(diffRows[0]).toContain('| !missing |')
    expect(diffRows[0]).toMatch(/\| missing in Persistent Chat$/)
  })

  it('a resumed run: the crashed import counted twice, the recovery and the lock taken over journaled', async () => {
    const c = await labCase()
    const killed = await runCli(['apply', c.planFile, '--yes', '--quiet'], { env: { ...FIRST, CUTOVER_CRASH_AT: 'cutover.import.gc2010:running' } })
    expect(killed.signal).toBe('SIGKILL')
    expect((await runCli(['apply', c.planFile, '--yes', '--quiet'], { env: LATER })).code).toBe(0)
    const { md, html } = await reports(c)
    await expect(md).toMatchFileSnapshot(join('__snapshots__', 'resumed.md'))
    await expect(html).toMatchFileSnapshot(join('__snapshots__', 'resumed.html.txt'))
    expect(html).toMatch(/\| <user>@<host> \| lock-taken-over \| \| staleHost=<host>, stalePid=<pid>, since=<time>$/m)
  })
})
