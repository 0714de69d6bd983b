/**
 * Crash matrix, first half: every step of plans/lab.yaml killed (SIGKILL) right after it is
 * durably marked running, then `apply` again until done. The step ids come from `cutover status
 * --json`, so a new step is covered without touching this file. See test/helpers/crash-matrix.ts
 * for what each case checks.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { crashAt, reference, stepIdsFromCli } from '../helpers/crash-matrix.js'
import type { Reference } from '../helpers/crash-matrix.js'
import { needsResolveWhenInterrupted } from '../helpers/crash.js'

const ids = await stepIdsFromCli()
let ref: Reference

beforeAll(async () => {
  ref = await reference()
})

describe('crash matrix: killed while the step runs (CUTOVER_CRASH_AT=<step>:running)', () => {
  it('covers every step the CLI lists, and the resolve path is exercised', () => {
    expect(ids).toEqual(ref.ids)
    expect(ids.length).toBeGreaterThan(15)
    // plans/lab.yaml decommissions with remove-trusted-application: the step that must ask.
    expect(ids.filter((id) => needsResolveWhenInterrupted(ref.traits.get(id) ?? { kind: '', idempotent: true, check: false, recover: false, manual: false }))).toContain('decommission.1.remove-trusted-application')
  })

  for (const id of ids) {
    it(`${id} killed at :running, then apply resumes it [slow]`, async () => {
      await crashAt(ref, id, 'running')
    })
  }
})
