/**
 * Crash matrix, second half: every step of plans/lab.yaml killed (SIGKILL) right after it is
 * durably recorded done, then `apply` again until done. The step ids come from `cutover status
 * --json`, so a new step is covered without touching this file. See test/helpers/crash-matrix.ts
 * for what each case checks.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { crashAt, reference, stepIdsFromCli } from '../helpers/crash-matrix.js'
import type { Reference } from '../helpers/crash-matrix.js'

const ids = await stepIdsFromCli()
let ref: Reference

beforeAll(async () => {
  ref = await reference()
})

describe('crash matrix: killed right after the step is recorded done (CUTOVER_CRASH_AT=<step>:done)', () => {
  it('covers every step the CLI lists', () => {
    expect(ids).toEqual(ref.ids)
    expect(ids.length).toBeGreaterThan(15)
  })

  for (const id of ids) {
    it(`${id} killed at :done, then apply goes on without running it again [slow]`, async () => {
      await crashAt(ref, id, 'done')
    })
  }
})
