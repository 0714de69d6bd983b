/**
 * Crash matrix, first half: every step of plans/lab.yaml killed (SIGKILL) right after it is
 * durably marked running, then `apply` again until done. The step ids come from `cutover status
 * --json` (on a fresh lab, in the reference run), so a new step is covered without touching this
 * file. Each case is named with its step's trait class (test/helpers/crash.ts, traitClass);
 * CUTOVER_CRASH_MATRIX=classes runs one case per class locally. See test/helpers/crash-matrix.ts
 * for what each case checks.
 */
import { describe, expect, it } from 'vitest'
import { checkReference, crashAt, matrixCases, reference } from '../helpers/crash-matrix.js'
import { needsResolveWhenInterrupted, TRAIT_CLASSES, traitClass } from '../helpers/crash.js'

const ref = reference()
const ids = ref.ids

describe('crash matrix: killed while the step runs (CUTOVER_CRASH_AT=<step>:running)', () => {
  it('covers every step the CLI lists, and the resolve path is exercised', () => {
    checkReference()
    expect(ids.length).toBeGreaterThan(15)
    // plans/lab.yaml decommissions with remove-trusted-application: the step that must ask.
    expect(ids.filter((id) => needsResolveWhenInterrupted(ref.traits.get(id) ?? { kind: '', idempotent: true, check: false, recover: false, manual: false }))).toContain('decommission.1.remove-trusted-application')
    // Every class a resumed run treats differently is killed at least once; plans/lab.yaml has
    // no manual step (test/cli/approve.test.ts covers those).
    const classes = new Set([...ref.traits.values()].map(traitClass))
    expect([...classes].sort()).toEqual(TRAIT_CLASSES.filter((c) => c !== 'manual').sort())
  })

  for (const { id, traitClass } of matrixCases(ref)) {
    it(`${id} (${traitClass}) killed at :running, then apply resumes it [slow]`, async () => {
      await crashAt(ref, id, 'running')
    })
  }
})
