import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { cutover, filesOf, lines, newCase, readJournal, readState, snapshot, statusJson } from '../helpers/case-files.js'

const MANUAL = '  - manual: { title: Publish the topology, instructions: Open Topology Builder and publish the topology without gcpool. }'
const withManual = (t: string): string => {
  const line = '  - remove-trusted-application: { pool: gcpool.lab.cutover.test }'
  if (!t.includes(line)) throw new Error('plans/lab.yaml changed: no remove-trusted-application line')
  return t.replace(line, `${line}\n${MANUAL}`)
}
const STEP = 'decommission.2.manual'

describe('manual steps and cutover approve (child process)', () => {
  it('apply pauses (exit 3) with the instructions, --yes does not approve; approve --by alice lets apply finish (exit 0)', async () => {
    const c = await newCase({ edit: withManual })
    const first = await cutover(c, ['apply', 'plan.yaml', '--yes'])
    expect(first.stderr).toBe('')
    expect(first.code).toBe(3)
    expect(first.stdout).toContain(`cutover: paused at ${STEP}: ${STEP} is a manual step: Publish the topology`)
    expect(first.stdout).toContain('Open Topology Builder and publish the topology without gcpool.')
    expect(first.stdout).toContain(`cutover approve plan.yaml ${STEP} --by <your name>`)
    let status = await statusJson(c)
    expect(status.steps.find((s) => s.id === STEP)?.status).toBe('awaiting-approval')
    expect(status.steps.find((s) => s.id === 'post.report')?.status).toBe('pending')

    // --yes confirms the run, it never approves a manual step.
    const again = await cutover(c, ['apply', 'plan.yaml', '--yes', '--quiet'])
    expect(again.code).toBe(3)
    expect(readState(c).steps[STEP]?.status).toBe('awaiting-approval')
    expect(readJournal(c).filter((e) => e.event === 'awaiting-approval')).toHaveLength(1)

    const approved = await cutover(c, ['approve', 'plan.yaml', STEP, '--by', 'alice'])
    expect(approved.stderr).toBe('')
    expect(approved.code).toBe(0)
    expect(approved.stdout).toMatch(new RegExp(`^cutover: ${STEP.replace(/\./g, '\\.')} approved by alice at 2026-12-06T03:00:\\d\\d\\.\\d{3}Z; run cutover apply plan.yaml to continue`))

    const last = await cutover(c, ['apply', 'plan.yaml', '--yes', '--json'])
    expect(last.code).toBe(0)
    const skip = last.stdout.split('\n').map((l) => (l === '' ? {} : (JSON.parse(l) as { type?: string; id?: string; reason?: string }))).find((e) => e.type === 'step-skip' && e.id === STEP)
    expect(skip?.reason).toBe('approved by alice')

    status = await statusJson(c)
    expect(status.steps.every((s) => s.status === 'done')).toBe(true)
    expect(status.steps.find((s) => s.id === STEP)?.approvedBy).toBe('alice')
    const text = await cutover(c, ['status', 'plan.yaml'])
    expect(lines(text.stdout).find((l) => l.includes(STEP))).toMatch(/^done\s+decommission\.2\.manual\s+Publish the topology\s+\[approved by alice\]$/)
    const entry = readJournal(c).find((e) => e.event === 'approve')
    expect(entry).toMatchObject({ step: STEP, outcome: 'done', detail: { by: 'alice' } })
    expect(readState(c).steps[STEP]).toMatchObject({ status: 'done', approvedBy: 'alice' })
  })

  it('approving a step that is not manual exits 1 and changes nothing; an unknown step too', async () => {
    const c = await newCase({ edit: withManual })
    expect((await cutover(c, ['apply', 'plan.yaml', '--yes', '--quiet', '--until', 'prepare.workdir'])).code).toBe(3)
    const before = snapshot(c)
    const report = readFileSync(filesOf(c).report, 'utf8')
    const r = await cutover(c, ['approve', 'plan.yaml', 'cutover.verify', '--by', 'alice'])
    expect(r.code).toBe(1)
    expect(lines(r.stderr)).toEqual(['cutover: error: cutover.verify is not a manual step and awaits no approval; only those are approved'])
    const unknown = await cutover(c, ['approve', 'plan.yaml', 'decommission.9.manual', '--by', 'alice'])
    expect(unknown.code).toBe(1)
    expect(lines(unknown.stderr)).toEqual(['cutover: error: decommission.9.manual is not a step of this plan'])
    expect(snapshot(c)).toEqual(before)
    // Not even the report is rewritten by a refused approval.
    expect(readFileSync(filesOf(c).report, 'utf8')).toBe(report)
  })

  it('a step not reached is approved only --ahead (a pre-approval, used when apply gets there); the state keeps the plan\'s name', async () => {
    const c = await newCase({ edit: withManual })
    const early = await cutover(c, ['approve', 'plan.yaml', STEP, '--by', 'bob'])
    expect(early.code).toBe(1)
    expect(lines(early.stderr)[0]).toMatch(/^cutover: error: decommission\.2\.manual is not awaiting approval \(it is pending\): .* --ahead/)
    const ahead = await cutover(c, ['approve', 'plan.yaml', STEP, '--by', 'bob', '--ahead', '--note', 'CAB-1234'])
    expect(ahead.code).toBe(0)
    expect(ahead.stdout).toContain(`${STEP} approved ahead by bob`)
    expect(readState(c).steps[STEP]).toMatchObject({ status: 'pending', preApproval: { by: 'bob', note: 'CAB-1234' } })
    expect(lines((await cutover(c, ['status', 'plan.yaml'])).stdout).find((l) => l.includes(STEP))).toMatch(/^pending\s+decommission\.2\.manual\s+Publish the topology\s+\[approved ahead by bob\]$/)
    const r = await cutover(c, ['apply', 'plan.yaml', '--yes', '--quiet'])
    expect(r.code).toBe(0)
    expect(readState(c).steps[STEP]).toMatchObject({ status: 'done', approvedBy: 'bob', approvedAhead: true, approvalNote: 'CAB-1234' })
    // The journal names the --by name, not the account that ran the command.
    expect(readJournal(c).find((e) => e.event === 'approve-ahead')).toMatchObject({ who: 'bob', detail: { by: 'bob', note: 'CAB-1234' } })
    // A state first created by approve (runner/engine/approve-and-resolve.ts) names its plan,
    // and apply keeps that name.
    expect(readState(c).plan.name).toBe('lab')
  })
})
