import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { labCase } from '../helpers/lab.js'

const reportOf = (dir: string) => readFileSync(join(dir, '.cutover', 'lab', 'report.md'), 'utf8')

describe('the run report', () => {
  it('after a clean run: every step done, downtime inside the window, a verification row per room, no ❌', async () => {
    const c = await labCase()
    expect((await runCli(['apply', c.planFile, '--yes', '--quiet'])).code).toBe(0)
    const md = reportOf(c.dir)
    expect(md).toContain('> This run used the embedded **lab emulator**')
    expect(md).toMatch(/\*\*Outcome:\*\* 22 of 22 steps done\./)
    expect(md).toMatch(/\*\*Downtime taken:\*\* .* inside the window\./)
    expect(md).toContain('```mermaid')
    expect(md).toMatch(/Persistent Chat holds what the frozen inventory says it must: \d+ categories, \d+ rooms/)
    expect(md).not.toContain('❌')
    // A row per migrated room, named as the plan maps it (release-train is a rename of lab.yaml).
    expect(md).toMatch(/\| release-train \| Engineering\/Build\/Release train \(gc2010\) \| \d+ \| \d+ \|/)
    expect(md).toContain('## Warnings')
    // The report is the report step's (apply does not write it again): the step shows itself done,
    // and the report was generated before the state recorded the step's end.
    expect(md).toMatch(/^\| `post\.report` Write the run report \| done \| 1 \| /m)
    const generated = /_Generated .* \((\d{4}-[^)]+Z)\) by cutover/.exec(md)?.[1] ?? ''
    const state = JSON.parse(readFileSync(join(c.dir, '.cutover', 'lab.state.json'), 'utf8')) as { steps: Record<string, { endedAt?: string }> }
    expect(Date.parse(generated)).toBeLessThan(Date.parse(state.steps['post.report']?.endedAt ?? ''))
    // `cutover report` rebuilds the same content, but for the time it was generated and the report
    // step's duration: its own report ends it when the report is written, the state a moment later.
    const again = await runCli(['report', c.planFile])
    expect(again.code).toBe(0)
    const strip = (t: string) => t.replace(/_Generated .* by cutover [^_]*\._/, '').replace(/^(\| `post\.report` .*\| )[^|]+ \|$/m, '$1<took> |').trim()
    expect(strip(again.stdout)).toBe(strip(md))
  })

  it('after a failed verification: the outcome names the step, the missing room is marked ❌, written although the run failed', async () => {
    const c = await labCase()
    const r = await runCli(['apply', c.planFile, '--yes', '--quiet'], { env: { CUTOVER_LAB_FAULTS: 'verify:missing-room' } })
    expect(r.code).toBe(1)
    const md = reportOf(c.dir)
    expect(md).toMatch(/\*\*cutover\.verify failed\*\*: verification found 1 difference/)
    expect(md).toMatch(/\*\*1 difference\(s\)\*\* between the frozen inventory and Persistent Chat/)
    expect(md.split('\n').filter((l) => l.startsWith('| ❌ ') && l.includes('| missing |'))).toHaveLength(1)
  })

  it('after a resumed run: attempts and the journal\'s decisions (recovery, lock taken over) are in it', async () => {
    const c = await labCase()
    const killed = await runCli(['apply', c.planFile, '--yes', '--quiet'], { env: { CUTOVER_CRASH_AT: 'cutover.import.gc2010:running' } })
    expect(killed.signal).toBe('SIGKILL')
    expect((await runCli(['apply', c.planFile, '--yes', '--quiet'])).code).toBe(0)
    const md = reportOf(c.dir)
    expect(md).toMatch(/\| `cutover\.import\.gc2010` Import gc2010 into pchat\.lab\.cutover\.test \| done \| 2 \|/)
    expect(md).toContain('## Decisions and interventions (journal)')
    expect(md).toMatch(/\| lock-taken-over \| {2}\|/)
    expect(md).toMatch(/\| step-recover \| cutover\.import\.gc2010 \|/)
    const json = JSON.parse((await runCli(['report', c.planFile, '--format', 'json'])).stdout) as { formatVersion: number; decisions: { event: string }[]; steps: { id: string; attempts: number }[] }
    expect(json.formatVersion).toBe(1)
    expect(json.steps.find((s) => s.id === 'cutover.import.gc2010')?.attempts).toBe(2)
    expect(json.decisions.map((d) => d.event)).toEqual(expect.arrayContaining(['lock-taken-over', 'step-recover']))
  })
})
