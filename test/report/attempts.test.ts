import { describe, expect, it } from 'vitest'
import { downtimeAttempts, operatorsOf, startsOf } from '../../runner/report/attempts.js'
import type { JournalEntry } from '../../runner/state/types.js'

const BOUNDS = { starts: ['cutover.stop-legacy.a', 'cutover.stop-legacy.b'], end: 'cutover.start-target' }
let second = 0
const at = () => `2026-12-06T03:00:${String(second++).padStart(2, '0')}.000Z`
const e = (event: string, step?: string, who = 'alice'): JournalEntry => ({ at: at(), who, host: 'pc1', pid: 1, event, ...(step === undefined ? {} : { step }) })

describe('downtime attempts and starts, from the journal', () => {
  it('a rollback before Persistent Chat started ends that downtime; the re-apply opens another; the second source\'s stop opens none', () => {
    second = 0
    const journal = [
      e('apply-start'), e('step-start', 'cutover.stop-legacy.a'), e('step-done', 'cutover.stop-legacy.a'), e('step-start', 'cutover.stop-legacy.b'), e('step-failed', 'cutover.stop-legacy.b'),
      e('rollback-start', undefined, 'bob'), e('rollback-end', undefined, 'bob'),
      e('apply-start'), e('step-start', 'cutover.stop-legacy.a'), e('step-start', 'cutover.stop-legacy.b'), e('step-start', 'cutover.start-target'), e('step-done', 'cutover.start-target'),
    ]
    const attempts = downtimeAttempts(journal, BOUNDS)
    expect(attempts).toEqual([
      { startUtc: '2026-12-06T03:00:01.000Z', endUtc: '2026-12-06T03:00:06.000Z', durationMs: 5000, outcome: 'rolled-back' },
      { startUtc: '2026-12-06T03:00:08.000Z', endUtc: '2026-12-06T03:00:11.000Z', durationMs: 3000, outcome: 'completed' },
    ])
    expect(startsOf(journal).get('cutover.stop-legacy.b')).toBe(2)
    expect(operatorsOf(journal)).toEqual(['alice@pc1', 'bob@pc1'])
  })

  it('a downtime not ended yet is open; a rollback after a completed one marks it rolled back afterwards', () => {
    second = 0
    const done = [e('step-start', 'cutover.stop-legacy.a'), e('step-done', 'cutover.start-target'), e('rollback-start'), e('rollback-end')]
    expect(downtimeAttempts(done, BOUNDS)).toEqual([{ startUtc: '2026-12-06T03:00:00.000Z', endUtc: '2026-12-06T03:00:01.000Z', durationMs: 1000, outcome: 'completed', rolledBackAt: '2026-12-06T03:00:03.000Z' }])
    expect(downtimeAttempts([...done, e('step-start', 'cutover.stop-legacy.a')], BOUNDS).at(-1)).toEqual({ startUtc: '2026-12-06T03:00:04.000Z', outcome: 'open' })
  })
})
