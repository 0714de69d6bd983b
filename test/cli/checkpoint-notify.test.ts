import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cutover, filesOf, lines, newCase, statusJson } from '../helpers/case-files.js'

const GO = 'cutover.checkpoint.1'
const withGoNoGo = (t: string): string => `${t.trimEnd()}\ncheckpoints:\n  - before: cutover.stop-legacy.gc2010\n    title: Go/no-go before Group Chat stops\n    instructions: The change board says go.\n`

/** The --notify command of these tests: a node script that appends the JSON it got on stdin to
 * events.ndjson, prints a line (which must not reach cutover's stdout), and exits `code`. */
function notifier(dir: string, code: number): string {
  const file = join(dir, `notify-${code}.mjs`)
  writeFileSync(file, [
    "import { appendFileSync, readFileSync } from 'node:fs'",
    "appendFileSync(new URL('./events.ndjson', import.meta.url), readFileSync(0, 'utf8'))",
    "console.log('NOTIFY-OUTPUT')",
    `process.exit(${code})`,
  ].join('\n'))
  return `node ${JSON.stringify(file)}`
}

interface Told { event: string; plan: string; step?: string; message: string; at: string }
const told = (dir: string): Told[] => (existsSync(join(dir, 'events.ndjson')) ? lines(readFileSync(join(dir, 'events.ndjson'), 'utf8')).map((l) => JSON.parse(l) as Told) : [])

describe('a checkpoint pauses the run before its step; --notify tells of it (child process)', () => {
  it('pauses at the checkpoint (exit 3) and notifies; approve lets it pass; a failure is notified and a failing notify changes no exit code; rollback notifies too', async () => {
    const c = await newCase({ edit: withGoNoGo })
    const paused = await cutover(c, ['apply', 'plan.yaml', '--yes', '--notify', notifier(c.dir, 0)])
    expect(paused.code).toBe(3)
    expect(paused.stderr).toBe('')
    expect(paused.stdout).toContain(`cutover: paused at ${GO}: ${GO} is a manual step: Go/no-go before Group Chat stops`)
    expect(paused.stdout).toContain('The change board says go.')
    expect(paused.stdout).not.toContain('NOTIFY-OUTPUT')
    let status = await statusJson(c)
    expect(status.steps.find((s) => s.id === GO)?.status).toBe('awaiting-approval')
    expect(status.steps.find((s) => s.id === 'prepare.workdir')?.status).toBe('done')
    expect(status.steps.find((s) => s.id === 'cutover.stop-legacy.gc2010')?.status).toBe('pending')
    const [pause] = told(c.dir)
    expect(pause).toMatchObject({ event: 'paused', plan: 'lab', step: GO })
    expect(pause?.message).toContain('The change board says go.')
    expect(pause?.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    // The command's output is kept in the log, not printed.
    expect(readFileSync(join(filesOf(c).artifacts, 'notify.log'), 'utf8')).toContain('NOTIFY-OUTPUT')

    expect((await cutover(c, ['approve', 'plan.yaml', GO, '--by', 'alice'])).code).toBe(0)

    // Past the checkpoint the export fails; the notify command fails too (exit 7): apply still
    // exits 1 as any failure, with one warning line more.
    const failed = await cutover(c, ['apply', 'plan.yaml', '--yes', '--quiet', '--notify', notifier(c.dir, 7)], { CUTOVER_LAB_FAULTS: 'fail:Export-CsPersistentChatData@1' })
    expect(failed.code).toBe(1)
    status = await statusJson(c)
    expect(status.steps.find((s) => s.id === GO)).toMatchObject({ status: 'done', approvedBy: 'alice' })
    expect(status.steps.find((s) => s.id === 'cutover.stop-legacy.gc2010')?.status).toBe('done')
    const warnings = lines(failed.stderr).filter((l) => l.includes('--notify'))
    expect(warnings).toEqual([`cutover: warning: --notify failed: it exited 7; the run's outcome is unchanged; its output is in ${join(filesOf(c).artifacts, 'notify.log')}`])
    const failure = told(c.dir)[1]
    expect(failure).toMatchObject({ event: 'failed', plan: 'lab', step: 'cutover.export.gc2010' })
    expect(failure?.message).toMatch(/^cutover\.export\.gc2010 failed: /)

    // rollback --notify tells of its end too; every cutover step is pending again, the checkpoint
    // included: the next apply asks for the go/no-go again.
    const back = await cutover(c, ['rollback', 'plan.yaml', '--yes', '--notify', notifier(c.dir, 0)])
    expect(back.code).toBe(0)
    expect(back.stdout).not.toContain('NOTIFY-OUTPUT')
    expect(told(c.dir)[2]).toMatchObject({ event: 'done', plan: 'lab', message: expect.stringMatching(/^rolled back \d+ step\(s\); \d+ cutover and post step\(s\) are pending again$/) as unknown as string })
    expect((await statusJson(c)).steps.find((s) => s.id === GO)?.status).toBe('pending')
    expect((await cutover(c, ['approve', 'plan.yaml', GO, '--by', 'alice', '--ahead'])).code).toBe(0)

    // Without the fault, the run finishes: done is told too.
    const done = await cutover(c, ['apply', 'plan.yaml', '--yes', '--quiet', '--notify', notifier(c.dir, 0)])
    expect(done.code).toBe(0)
    expect(told(c.dir).map((e) => e.event)).toEqual(['paused', 'failed', 'done', 'done'])
  })
})
