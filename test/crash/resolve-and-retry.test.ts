/**
 * Settling interrupted and failed steps: `cutover resolve --done` on a step that was killed after
 * doing its work, resolve refused where there is nothing to settle, and a failed step retried by
 * the next apply.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MATRIX_LAB, reference } from '../helpers/crash-matrix.js'
import type { Reference } from '../helpers/crash-matrix.js'
import { apply, countEvents, crashCase, journal, PLAN_NAME, resolveStep, runDigest, said, status } from '../helpers/crash.js'
import type { CliResult } from '../helpers/cli.js'

const REMOVE_POOL = 'decommission.1.remove-trusted-application'
const ref: Reference = reference()

/** A refusal: exit 1, one line on stderr, nothing on stdout. */
function expectRefusedInOneLine(r: CliResult, mentions: RegExp): void {
  expect(r.code, said(r)).toBe(1)
  expect(r.stdout, said(r)).toBe('')
  const lines = r.stderr.trimEnd().split('\n')
  expect(lines, 'one line, no stack trace').toHaveLength(1)
  expect(lines[0]).toMatch(/^cutover: error: /)
  expect(lines[0]).toMatch(mentions)
}

describe('cutover resolve', () => {
  it('--done on a step interrupted after its work marks it done, and apply continues after it [slow]', async () => {
    const c = await crashCase(MATRIX_LAB)
    // Killed once Remove-CsTrustedApplicationPool and Enable-CsTopology are done, before the step
    // is recorded done: the pool is gone, and running the step again would fail on it.
    const crash = await apply(c, { CUTOVER_LAB_FAULTS: 'crash:Enable-CsTopology@1' })
    expect(crash.signal, said(crash)).toBe('SIGKILL')
    expect((await status(c)).steps.find((s) => s.id === REMOVE_POOL)?.status).toBe('running')

    const paused = await apply(c)
    expect(paused.code, said(paused)).toBe(3)
    expect(paused.stdout).toContain(`paused at ${REMOVE_POOL}`)
    expect(paused.stdout).toContain(`cutover resolve ${c.planFile} ${REMOVE_POOL} --done`)
    expect(paused.stdout).toContain('--retry')

    const resolved = await resolveStep(c, REMOVE_POOL, 'done')
    expect(resolved.code, said(resolved)).toBe(0)
    expect(resolved.stdout).toContain(`${REMOVE_POOL} marked done`)
    const between = await status(c)
    expect(between.steps.find((s) => s.id === REMOVE_POOL)?.status).toBe('done')
    expect(between.steps.find((s) => s.id === 'post.report')?.status).toBe('pending')

    const done = await apply(c)
    expect(done.code, said(done)).toBe(0)
    const st = await status(c)
    expect(st.steps.filter((s) => s.status !== 'done').map((s) => s.id)).toEqual([])
    const events = journal(c)
    expect(countEvents(events, 'resolve-done', REMOVE_POOL)).toBe(1)
    expect(countEvents(events, 'step-start', REMOVE_POOL), 'never run again after resolve --done').toBe(1)
    expect(countEvents(events, 'step-done', 'post.report')).toBe(1)
    // Its work was done once: the same world as an uninterrupted run (pool gone, topology published once).
    expect(runDigest(c).world).toEqual(ref.digest.world)
  })

  it('keeps time moving forward across the runs: the journal in order, no step ending before it started [slow]', async () => {
    // The same story as above; what is checked is the times the runs recorded.
    const c = await crashCase(MATRIX_LAB)
    expect((await apply(c, { CUTOVER_LAB_FAULTS: 'crash:Enable-CsTopology@1' })).signal).toBe('SIGKILL')
    expect((await apply(c)).code).toBe(3)
    expect((await resolveStep(c, REMOVE_POOL, 'done')).code).toBe(0)
    expect((await apply(c)).code).toBe(0)
    const events = journal(c)
    const backwards = events.slice(1).flatMap((e, i) => {
      const prev = events[i]
      return prev !== undefined && Date.parse(e.at) < Date.parse(prev.at) ? [`${prev.event} ${prev.step ?? ''} at ${prev.at} (pid ${prev.pid}), then ${e.event} ${e.step ?? ''} at ${e.at} (pid ${e.pid})`] : []
    })
    expect.soft(backwards, 'journal entries whose time goes backwards').toEqual([])
    const negative = (await status(c)).steps.flatMap((s) => (s.startedAt !== null && s.endedAt !== null && Date.parse(s.endedAt) < Date.parse(s.startedAt) ? [`${s.id}: started ${s.startedAt}, ended ${s.endedAt}`] : []))
    expect.soft(negative, 'steps that end before they start').toEqual([])
  })

  it('is refused on a done step and on a pending one: exit 1, one line', async () => {
    const c = await crashCase(MATRIX_LAB)
    const part = await apply(c, {}, ['--until', 'cutover.export.gc2010'])
    expect(part.code, said(part)).toBe(3)
    const before = journal(c).length
    for (const how of ['done', 'retry'] as const) {
      expectRefusedInOneLine(await resolveStep(c, 'cutover.export.gc2010', how), /cutover\.export\.gc2010 is done/)
      expectRefusedInOneLine(await resolveStep(c, 'post.report', how), /post\.report is pending/)
    }
    expect(journal(c).length, 'a refused resolve journals nothing').toBe(before)
    const st = await status(c)
    expect(st.steps.find((s) => s.id === 'cutover.export.gc2010')?.status).toBe('done')
    expect(st.steps.find((s) => s.id === 'post.report')?.status).toBe('pending')
  })

  it('is refused on a plan that never ran, which it leaves without a state', async () => {
    const c = await crashCase(MATRIX_LAB)
    expectRefusedInOneLine(await resolveStep(c, 'cutover.import.gc2010', 'retry'), /cutover\.import\.gc2010 is pending/)
    expect(existsSync(join(c.dir, '.cutover', `${PLAN_NAME}.state.json`))).toBe(false)
  })
})

describe('a failing step', () => {
  it('fails the run (exit 1, status failed, attempts 1); the next apply retries it and finishes [slow]', async () => {
    const c = await crashCase(MATRIX_LAB)
    const env = { CUTOVER_LAB_FAULTS: 'fail:Export-CsPersistentChatData@1' }
    const failed = await apply(c, env)
    expect(failed.code, said(failed)).toBe(1)
    expect(failed.stderr).toContain('cutover.export.gc2010 failed')
    expect(failed.stderr).toContain('injected failure')
    const st = await status(c)
    const exp = st.steps.find((s) => s.id === 'cutover.export.gc2010')
    expect(exp?.status).toBe('failed')
    expect(exp?.attempts).toBe(1)
    expect(exp?.error).toContain('injected failure')
    expect(st.steps.find((s) => s.id === 'cutover.stop-target')?.status, 'nothing after it ran').toBe('pending')
    expect(st.lock, 'a failed run releases its lock').toBeNull()

    // Same environment: the fault names the first invocation only, so the retry goes through.
    const retried = await apply(c, env)
    expect(retried.code, said(retried)).toBe(0)
    const after = await status(c)
    expect(after.steps.find((s) => s.id === 'cutover.export.gc2010')?.attempts).toBe(2)
    expect(after.steps.filter((s) => s.status !== 'done').map((s) => s.id)).toEqual([])
    const events = journal(c)
    expect(events.filter((e) => e.step === 'cutover.export.gc2010' && e.event.startsWith('step-')).map((e) => [e.event, e.detail?.attempt ?? null]))
      .toEqual([['step-start', 1], ['step-failed', null], ['step-start', 2], ['step-done', null]])
    for (const id of ref.ids) expect(countEvents(events, 'step-done', id), id).toBe(1)
    const got = runDigest(c)
    expect(got.pchat).toEqual(ref.digest.pchat)
    expect(got.world).toEqual(ref.digest.world)
    expect(got.fileStore).toEqual(ref.digest.fileStore)
  })
})
