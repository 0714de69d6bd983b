import { describe, expect, it } from 'vitest'
import { reviewedApplies } from '../../runner/report/model.js'
import type { JournalEntry } from '../../runner/state/types.js'
import type { JsonObject } from '../../runner/core/json.js'

const SHA = 'f'.repeat(64)
const e = (event: string, at: string, extra: { step?: string; detail?: JsonObject } = {}): JournalEntry => ({ at, who: 'ops', host: 'pc01', pid: 1, event, ...extra })

describe('the report says whether each apply ran the reviewed plan (journal apply-start, reviewed-refused)', () => {
  it('matched, stopped at a difference, or none given, per apply in order', () => {
    const journal = [
      e('apply-start', '2026-12-06T03:00:00.000Z', { detail: { reviewed: null } }),
      e('apply-end', '2026-12-06T03:00:01.000Z'),
      e('apply-start', '2026-12-06T03:01:00.000Z', { detail: { reviewed: { file: 'r.json', sha256: SHA } } }),
      e('reviewed-refused', '2026-12-06T03:01:01.000Z', { step: 'preflight.readiness' }),
      e('apply-start', '2026-12-06T03:02:00.000Z', { detail: { reviewed: { file: 'r2.json', sha256: SHA } } }),
      // A journal written before apply --reviewed existed: no reviewed key at all.
      e('apply-start', '2026-12-06T03:03:00.000Z', { detail: {} }),
    ]
    expect(reviewedApplies(journal)).toEqual([
      { at: '2026-12-06T03:00:00.000Z', by: 'ops@pc01', outcome: 'none' },
      { at: '2026-12-06T03:01:00.000Z', by: 'ops@pc01', outcome: 'refused', file: 'r.json', sha256: SHA, step: 'preflight.readiness' },
      { at: '2026-12-06T03:02:00.000Z', by: 'ops@pc01', outcome: 'matched', file: 'r2.json', sha256: SHA },
      { at: '2026-12-06T03:03:00.000Z', by: 'ops@pc01', outcome: 'none' },
    ])
  })
})
