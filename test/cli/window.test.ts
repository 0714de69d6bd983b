import { describe, expect, it } from 'vitest'
import { cutover, jsonEvents, lines, newCase, readJournal, readState, snapshot } from '../helpers/case-files.js'
import type { LabCase } from '../helpers/lab.js'
import { timesOf } from '../../runner/state/records.js'

// plans/lab.yaml: 2026-12-05T22:00 .. 2026-12-06T06:00 America/New_York (EST), margin 30m.
const LAB = { start: '2026-12-06T03:00:00.000Z', lastStart: '2026-12-06T10:30:00.000Z', end: '2026-12-06T11:00:00.000Z' }
const FIRST_CUTOVER = 'cutover.stop-legacy.gc2010'

// The same lab over the US spring-forward night: 01:00 EST = 06:00Z .. 05:00 EDT = 09:00Z, last start 08:30Z.
const springForward = (t: string): string => t.replace('start: 2026-12-05T22:00', 'start: 2027-03-14T01:00').replace('end: 2026-12-06T06:00', 'end: 2027-03-14T05:00')

const cutoverRecords = (c: LabCase) => Object.values(readState(c).steps).filter((s) => s.id.startsWith('cutover.'))

/** apply up to the first cutover step at the instant `at` (the run's clock starts there). */
const applyAt = (c: LabCase, at: string, ...extra: string[]) => cutover(c, ['apply', 'plan.yaml', '--yes', '--quiet', '--until', FIRST_CUTOVER, ...extra], { CUTOVER_CLOCK: at })

describe('the downtime window (child process, CUTOVER_CLOCK)', () => {
  it('before the window: preflight and prepare run, then exit 3 paused at the first cutover step with the opening time', async () => {
    const c = await newCase()
    const r = await applyAt(c, '2026-12-06T01:00:00Z')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(3)
    expect(r.stdout).toContain(`cutover: paused at ${FIRST_CUTOVER}: the downtime window opens at ${LAB.start} (in 120 min)`)
    const state = readState(c)
    for (const id of ['preflight.inventory.gc2010', 'preflight.target', 'preflight.lint', 'prepare.workdir']) expect(state.steps[id]?.status).toBe('done')
    expect(cutoverRecords(c)).toEqual([])
    expect(readJournal(c).at(-1)).toMatchObject({ event: 'apply-end', outcome: 'paused', step: FIRST_CUTOVER, detail: { reason: 'window-not-open' } })
  })

  it('inside the window: the cutover runs', async () => {
    const c = await newCase()
    const r = await applyAt(c, '2026-12-06T04:00:00Z')
    expect(r.code).toBe(3)
    expect(r.stdout).toContain('as asked (--until)')
    expect(readState(c).steps[FIRST_CUTOVER]).toMatchObject({ status: 'done', startedAt: expect.stringMatching(/^2026-12-06T04:00:0/) })
  })

  it.each([
    ['within the margin', '2026-12-06T10:45:00Z', 'less than the margin (30m) is left in the downtime window'],
    ['after the window', '2026-12-06T12:00:00Z', `the downtime window ended at ${LAB.end}`],
  ])('%s: exit 1 refusing, nothing of the cutover runs', async (_label, at, why) => {
    const c = await newCase()
    const world = snapshot(c).world
    const r = await applyAt(c, at)
    expect(r.code).toBe(1)
    expect(lines(r.stderr)).toEqual([`cutover: error: ${why}: ${FIRST_CUTOVER} will not start. Plan a new window, or run apply --ignore-window if you accept the risk (it is journaled)`])
    expect(cutoverRecords(c)).toEqual([])
    expect(readJournal(c).some((e) => e.event === 'step-start' && e.step?.startsWith('cutover.') === true)).toBe(false)
    expect(snapshot(c).world).toBe(world)
  })

  it('inside the window but too late for the cutover\'s forecast: exit 1, the figures named, nothing of the cutover runs', async () => {
    const c = await newCase()
    const r = await applyAt(c, '2026-12-06T10:20:00Z')
    expect(r.code).toBe(1)
    expect(lines(r.stderr)[0]).toMatch(/^cutover: error: the cutover is forecast to take \d+ min but only (9|10) min are left before end - margin \(2026-12-06T10:30:00\.000Z\): .*both down\. Nothing of the cutover was started\./)
    expect(cutoverRecords(c)).toEqual([])
  })

  it('--ignore-window runs outside the window and journals it', async () => {
    const c = await newCase()
    const r = await cutover(c, ['apply', 'plan.yaml', '--yes', '--quiet', '--ignore-window', '--until', 'cutover.backup-legacy.gc2010'], { CUTOVER_CLOCK: '2026-12-07T12:00:00Z' })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(3)
    expect(readState(c).steps['cutover.backup-legacy.gc2010']?.status).toBe('done')
    const ignored = readJournal(c).filter((e) => e.event === 'ignore-window')
    expect(ignored).toEqual([expect.objectContaining({ step: FIRST_CUTOVER, detail: { window: 'after' } })])
    expect(readJournal(c).find((e) => e.event === 'apply-start')?.detail).toMatchObject({ ignoreWindow: true })
  })

  it('across the spring-forward night: exact UTC boundaries 06:00Z, 08:30Z (last start) and 09:00Z', async () => {
    const c = await newCase({ edit: springForward })
    // Just before the opening (the run's clock moves on while preflight runs, hence a few seconds).
    const before = await applyAt(c, '2027-03-14T05:59:50Z')
    expect(before.code).toBe(3)
    expect(before.stdout).toContain('the downtime window opens at 2027-03-14T06:00:00.000Z (in 1 min)')
    expect(cutoverRecords(c)).toEqual([])
    // Just after the last start and just before the end: within the margin.
    const late = await applyAt(c, '2027-03-14T08:30:01Z')
    expect(late.code).toBe(1)
    expect(late.stderr).toContain('less than the margin (30m) is left in the downtime window')
    const closing = await applyAt(c, '2027-03-14T08:59:30Z')
    expect(closing.code).toBe(1)
    expect(closing.stderr).toContain('less than the margin (30m)')
    // At the end.
    const after = await applyAt(c, '2027-03-14T09:00:00Z')
    expect(after.code).toBe(1)
    expect(after.stderr).toContain('the downtime window ended at 2027-03-14T09:00:00.000Z')
    expect(cutoverRecords(c)).toEqual([])
    // Just inside the last start: the window is open, but a whole cutover does not fit in 10 s;
    // with --ignore-window (the admin's decision) it starts.
    const tooLate = await applyAt(c, '2027-03-14T08:29:50Z')
    expect(tooLate.code).toBe(1)
    expect(tooLate.stderr).toContain('the cutover is forecast to take')
    expect(cutoverRecords(c)).toEqual([])
    const lastChance = await applyAt(c, '2027-03-14T08:29:50Z', '--ignore-window')
    expect(lastChance.stderr).toBe('')
    expect(lastChance.code).toBe(3)
    expect(timesOf(readState(c).steps[FIRST_CUTOVER]).startedAt).toMatch(/^2027-03-14T08:29:5/)
  })

  it('across the spring-forward night: just inside the opening runs', async () => {
    const c = await newCase({ edit: springForward })
    const r = await applyAt(c, '2027-03-14T06:00:00Z')
    expect(r.code).toBe(3)
    expect(timesOf(readState(c).steps[FIRST_CUTOVER]).startedAt).toMatch(/^2027-03-14T06:00:0/)
  })

  it('--wait: a few seconds before the window, apply waits for it, then runs', async () => {
    const c = await newCase()
    const t0 = Date.now()
    const r = await cutover(c, ['apply', 'plan.yaml', '--yes', '--json', '--wait', '--until', FIRST_CUTOVER], { CUTOVER_CLOCK: '2026-12-06T02:59:57.000Z' })
    const took = Date.now() - t0
    expect(r.stderr).toBe('')
    expect(r.code).toBe(3)
    const ev = jsonEvents(r.stdout)
    const waiting = ev.findIndex((e) => e.type === 'step-log' && e.line?.startsWith(`waiting 1 min for the downtime window to open at ${LAB.start}`) === true)
    const started = ev.findIndex((e) => e.type === 'step-start' && e.id === FIRST_CUTOVER)
    expect(waiting).toBeGreaterThan(0)
    expect(started).toBeGreaterThan(waiting)
    expect(ev.at(-2)).toMatchObject({ type: 'paused', reason: 'until' })
    expect(took).toBeGreaterThan(2000)
    const startedAt = timesOf(readState(c).steps[FIRST_CUTOVER]).startedAt ?? ''
    expect(startedAt >= LAB.start).toBe(true)
  })
})
