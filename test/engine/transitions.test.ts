import { describe, expect, it } from 'vitest'
import { stepId } from '../../runner/core/step.js'
import { IllegalTransitionError, canMove, transition } from '../../runner/engine/transitions.js'
import type { Move } from '../../runner/engine/transitions.js'
import type { StepRecord } from '../../runner/state/types.js'
import { runStateProblems } from '../../runner/state/validate.js'

const step = { id: stepId('import', 'cutover.import.gc2010'), kind: 'import', fingerprint: 'f2' }
const NOW = '2026-12-06T04:00:00.000Z'
const at = (rec: StepRecord): StepRecord => rec

const records: Record<string, StepRecord | undefined> = {
  none: undefined,
  pending: at({ id: step.id, kind: 'import', status: 'pending', fingerprint: 'f1', attempts: 0 }),
  running: at({ id: step.id, kind: 'import', status: 'running', fingerprint: 'f1', attempts: 1, startedAt: '2026-12-06T03:00:00.000Z' }),
  done: at({ id: step.id, kind: 'import', status: 'done', fingerprint: 'f1', attempts: 1, startedAt: '2026-12-06T03:00:00.000Z', endedAt: '2026-12-06T03:30:00.000Z', outputs: { messages: 3 } }),
  failed: at({ id: step.id, kind: 'import', status: 'failed', fingerprint: 'f1', attempts: 2, startedAt: '2026-12-06T03:00:00.000Z', endedAt: '2026-12-06T03:30:00.000Z', error: 'boom' }),
  awaiting: at({ id: step.id, kind: 'import', status: 'awaiting-approval', fingerprint: 'f1', attempts: 0 }),
}

const MOVES: readonly Move[] = [
  { to: 'running', attempt: 2 }, { to: 'done', outputs: { n: 1 } }, { to: 'found-complete' }, { to: 'failed', error: 'x' },
  { to: 'awaiting-approval' }, { to: 'approved', by: 'alice' }, { to: 'resolved-done', by: 'bob' }, { to: 'retry' },
  { to: 'undone' }, { to: 'reset' }, { to: 'accepted' },
]

describe('transition: the one function that changes a step record', () => {
  it('every allowed move yields a record the state validator accepts, with the step kind and fingerprint', () => {
    let allowed = 0
    for (const [from, rec] of Object.entries(records)) {
      for (const move of MOVES) {
        if (!canMove(rec, move.to)) continue
        allowed++
        const next = transition(step, rec, move, NOW)
        const state = { formatVersion: 1, plan: { name: 'p', hash: 'h' }, steps: { [step.id]: next }, createdAt: NOW, updatedAt: NOW }
        expect({ from, move: move.to, problems: runStateProblems(state) }).toEqual({ from, move: move.to, problems: [] })
        expect(next).toMatchObject({ id: step.id, kind: 'import', fingerprint: 'f2' })
      }
    }
    expect(allowed).toBeGreaterThan(20)
  })

  it('refuses the moves that make no sense', () => {
    expect(() => transition(step, records.pending, { to: 'done', outputs: {} }, NOW)).toThrow(IllegalTransitionError)
    expect(() => transition(step, records.done, { to: 'running', attempt: 2 }, NOW)).toThrow(/cannot move from done to running/)
    expect(() => transition(step, records.running, { to: 'approved', by: 'x' }, NOW)).toThrow(IllegalTransitionError)
    expect(() => transition(step, records.done, { to: 'retry' }, NOW)).toThrow(IllegalTransitionError)
    expect(() => transition(step, undefined, { to: 'accepted' }, NOW)).toThrow(IllegalTransitionError)
  })

  it('keeps what each move must keep', () => {
    expect(transition(step, records.running, { to: 'done', outputs: { n: 1 } }, NOW)).toEqual({ id: step.id, kind: 'import', status: 'done', fingerprint: 'f2', attempts: 1, startedAt: '2026-12-06T03:00:00.000Z', endedAt: NOW, outputs: { n: 1 } })
    // --retry keeps the attempts, so apply recovers the partial attempt first.
    expect(transition(step, records.failed, { to: 'retry' }, NOW)).toMatchObject({ status: 'failed', attempts: 2, error: 'boom' })
    expect(transition(step, records.done, { to: 'reset' }, NOW)).toEqual({ id: step.id, kind: 'import', status: 'pending', fingerprint: 'f2', attempts: 0 })
    // Accepting a change keeps the result and takes the new fingerprint.
    expect(transition(step, records.done, { to: 'accepted' }, NOW)).toEqual({ ...records.done, fingerprint: 'f2' })
    expect(transition(step, records.awaiting, { to: 'approved', by: 'alice' }, NOW)).toMatchObject({ status: 'done', approvedBy: 'alice', approvedAt: NOW })
  })
})
