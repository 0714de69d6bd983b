/**
 * Say what happens (issue 13, item 12): before apply runs, it says what it found and what it will
 * do: steps done, the interrupted step and how it is settled, the window, "downtime starts now".
 */
import { describe, expect, it } from 'vitest'
import { compile } from '../../runner/compile/compile.js'
import { applySummary } from '../../runner/engine/resume-summary.js'
import { platformOf } from '../../runner/runtimes/index.js'
import type { RunState, StepRecord } from '../../runner/state/types.js'
import { kindNamed } from '../../runner/steps/registry.js'
import { INSIDE, LAB_WINDOW, labPlan } from '../helpers/engine-fakes.js'

const plan = labPlan()
const steps = compile(plan, platformOf(plan))

function stateUntil(id: string, last: StepRecord['status']): RunState {
  const index = steps.findIndex((s) => s.id === id)
  const records: Record<string, StepRecord> = {}
  steps.slice(0, index).forEach((s) => { records[s.id] = { id: s.id, kind: s.kind, fingerprint: s.fingerprint, status: 'done', attempts: 1, startedAt: INSIDE, endedAt: INSIDE } })
  const s = steps[index]
  if (s !== undefined) records[s.id] = last === 'running' ? { id: s.id, kind: s.kind, fingerprint: s.fingerprint, status: 'running', attempts: 1, startedAt: INSIDE } : { id: s.id, kind: s.kind, fingerprint: s.fingerprint, status: 'pending', attempts: 0 }
  return { formatVersion: 1, plan: { name: 'lab', hash: 'h' }, steps: records, createdAt: INSIDE, updatedAt: INSIDE }
}

describe('applySummary', () => {
  it('a resumed run: how many steps are done, the interrupted import and that its backup is restored', () => {
    const state = stateUntil('cutover.import.gc2010', 'running')
    const done = Object.values(state.steps).filter((r) => r.status === 'done').length
    const lines = applySummary({ plan, steps, kinds: kindNamed, state, nowMs: Date.parse(INSIDE), holderGone: true })
    expect(lines[0]).toBe(`${done}/${steps.length} done; cutover.import.gc2010 was interrupted, its process is gone; restoring the pre-import backup, then importing again`)
    expect(lines[1]).toMatch(/^downtime window 2026-12-06T03:00:00.000Z to 2026-12-06T11:00:00.000Z \(America\/New_York, margin 30m\): open, 6 h 30 min left to start cutover steps$/)
    expect(lines[2]).toBe('next: cutover.import.gc2010 (Import gc2010 into pchat.lab.cutover.test)')
  })

  it('a first run inside the window says that downtime starts in this run, and which step takes Group Chat down', () => {
    const lines = applySummary({ plan, steps, kinds: kindNamed, state: undefined, nowMs: Date.parse(INSIDE), holderGone: true })
    expect(lines[0]).toMatch(new RegExp(`^${steps.length} steps of 'lab' to run \\(\\d+ preflight, \\d+ prepare, \\d+ cutover, \\d+ post\\); none has run yet$`))
    const first = steps.find((s) => s.phase === 'cutover')
    expect(lines[2]).toBe(`downtime starts in this run: ${first?.id} (${first?.title}) takes Group Chat down`)
    const atCutover = stateUntil(first?.id ?? '', 'pending')
    expect(applySummary({ plan, steps, kinds: kindNamed, state: atCutover, nowMs: Date.parse(INSIDE), holderGone: true })[2]).toMatch(/^downtime starts now: /)
  })

  it('before the window: the window opens later, and the cutover waits for it', () => {
    const before = Date.parse(LAB_WINDOW.start) - 90 * 60_000
    const lines = applySummary({ plan, steps, kinds: kindNamed, state: undefined, nowMs: before, holderGone: true })
    expect(lines[1]).toMatch(/: opens in 90 min$/)
    expect(lines[2]).toBe('the steps before the window run now; the cutover (downtime) waits for the window to open')
  })
})
