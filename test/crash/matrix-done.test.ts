/**
 * Crash matrix, second half: every step of plans/lab.yaml killed (SIGKILL) right after it is
 * durably recorded done, then `apply` again until done. The step ids come from `cutover status
 * --json` (on a fresh lab, in the reference run), so a new step is covered without touching this
 * file. Each case is named with its step's trait class (test/helpers/crash.ts, traitClass);
 * CUTOVER_CRASH_MATRIX=classes runs one case per class locally. See test/helpers/crash-matrix.ts
 * for what each case checks.
 */
import { describe, expect, it } from 'vitest'
import { checkReference, crashAt, matrixCases, reference } from '../helpers/crash-matrix.js'

const ref = reference()
const ids = ref.ids

describe('crash matrix: killed right after the step is recorded done (CUTOVER_CRASH_AT=<step>:done)', () => {
  it('covers every step the CLI lists, against a reference run that ran each step once', () => {
    checkReference()
    expect(ids.length).toBeGreaterThan(15)
  })

  for (const { id, traitClass } of matrixCases(ref)) {
    it(`${id} (${traitClass}) killed at :done, then apply goes on without running it again [slow]`, async () => {
      await crashAt(ref, id, 'done')
    })
  }
})
