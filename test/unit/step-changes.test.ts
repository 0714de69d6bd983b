/**
 * The plan against another version of it (issue 15, item 2, `plan --against REF`): the steps
 * that are new, removed or changed, with the inputs that changed; and how the preview writes it.
 */
import { describe, expect, it } from 'vitest'
import { compile } from '../../runner/compile/compile.js'
import { stepChanges } from '../../runner/compile/step-changes.js'
import type { AgainstRef } from '../../runner/compile/step-changes.js'
import { againstMarkdown, againstText } from '../../runner/cli/format/preview-against.js'
import type { Plan } from '../../runner/plan/types.js'
import { platformOf } from '../../runner/runtimes/index.js'
import { labPlan } from '../helpers/engine-fakes.js'

const steps = (plan: Plan) => compile(plan, platformOf(plan))

describe('stepChanges: the steps of a plan against another version of it', () => {
  it('is empty for the same plan', () => {
    expect(stepChanges(steps(labPlan()), steps(labPlan()))).toEqual([])
  })

  it('names exactly the steps whose inputs a changed rename reaches, and the input', () => {
    const before = labPlan()
    const map = before.rooms.map.map((m, i) => (i === 0 ? { ...m, rename: 'release-trains' } : m))
    const changes = stepChanges(steps(before), steps({ ...before, rooms: { ...before.rooms, map } }))
    expect(changes.map((c) => [c.id, c.change])).toEqual([['cutover.mappings', 'changed'], ['cutover.verify', 'changed']])
    for (const c of changes) expect(c.change === 'changed' ? c.inputs : []).toEqual([{ path: 'rules.map[0].rename', ran: '"release-train"', now: '"release-trains"' }])
  })

  it('lists added steps in the new order and removed ones after', () => {
    const before = labPlan()
    // The lab decommissions with remove-trusted-application; a manual step instead of it.
    const now: Plan = { ...before, decommission: [{ manual: { title: 'Publish the topology', instructions: 'Open Topology Builder' } }] }
    expect(stepChanges(steps(before), steps(now)).map((c) => [c.id, c.change])).toEqual([['decommission.1.manual', 'added'], ['decommission.1.remove-trusted-application', 'removed']])
    expect(stepChanges(steps(now), steps(before)).map((c) => [c.id, c.change])).toEqual([['decommission.1.remove-trusted-application', 'added'], ['decommission.1.manual', 'removed']])
  })
})

describe('the preview of the plan against a git ref', () => {
  const base = { ref: 'origin/main', commit: '0123456789abcdef0123456789abcdef01234567', path: 'plans/lab.yaml' }
  const found: AgainstRef = {
    ...base, planAtRef: 'found', unchanged: 20,
    steps: [
      { id: 'cutover.mappings', title: 'Apply the room mappings', change: 'changed', inputs: [{ path: 'rules.map[0].rename', ran: '"a"', now: '"b"' }] },
      { id: 'decommission.2.manual', title: 'Publish | the topology', change: 'added' },
      { id: 'decommission.1.powershell', title: 'Remove DNS', change: 'removed' },
    ],
  }

  it('text: a line of counts, then each step with its changed inputs', () => {
    expect(againstText(found)).toEqual([
      'changes against origin/main (commit 0123456789ab, plans/lab.yaml): 1 changed, 1 new, 1 removed, 20 the same',
      '  changed cutover.mappings  Apply the room mappings',
      '    rules.map[0].rename: "a" -> "b"',
      '  new decommission.2.manual  Publish | the topology',
      '  removed decommission.1.powershell  Remove DNS',
      '',
    ])
    expect(againstText(undefined)).toEqual([])
  })

  it('markdown: a "Changes against" section a reviewer reads, values escaped', () => {
    expect(againstMarkdown(found).join('\n')).toBe([
      '### Changes against origin/main',
      '',
      'Against commit `0123456789ab` (plans/lab.yaml): 1 changed, 1 new, 1 removed, 20 the same.',
      '',
      '- `cutover.mappings` (changed): Apply the room mappings',
      '  - rules.map\\[0\\].rename: "a" → "b"',
      '- `decommission.2.manual` (new): Publish \\| the topology',
      '- `decommission.1.powershell` (removed): Remove DNS',
      '',
    ].join('\n'))
  })

  it('says so when the commit has no such plan, when it does not validate, and when nothing changed', () => {
    const absent: AgainstRef = { ...base, planAtRef: 'absent', unchanged: 0, steps: [{ id: 'a', title: 'A', change: 'added' }, { id: 'b', title: 'B', change: 'added' }] }
    expect(againstText(absent)[0]).toBe('changes against origin/main (commit 0123456789ab, plans/lab.yaml): plans/lab.yaml is not in that commit: every step is new (2 steps)')
    expect(againstMarkdown(absent)[2]).toBe('Against commit `0123456789ab` (plans/lab.yaml): plans/lab.yaml is not in that commit: every step is new (2 steps).')
    const invalid: AgainstRef = { ...base, planAtRef: 'invalid', invalid: 'origin/main:plans/lab.yaml:3:1: error: bad [schema]', unchanged: 0, steps: [] }
    expect(againstText(invalid)[0]).toMatch(/: the plan there does not validate, so its steps are not known \(origin\/main:plans\/lab\.yaml:3:1: error: bad \[schema\]\)$/)
    expect(againstText({ ...base, planAtRef: 'found', unchanged: 23, steps: [] })[0]).toMatch(/: no step changed \(23 the same\)$/)
  })
})
