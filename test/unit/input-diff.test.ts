import { describe, expect, it } from 'vitest'
import { inputChanges } from '../../runner/compile/input-diff.js'

describe('inputChanges: a step\'s inputs against the ones that ran', () => {
  it('names each changed leaf by its path, with both values; an added or removed one has one side', () => {
    const ran = { source: 'gc2010', cutoff: '2019-01-01', rules: { map: [{ room: 'A', rename: 'a' }, { room: 'B', rename: null }] } }
    const now = { source: 'gc2010', cutoff: '2020-06-01', rules: { map: [{ room: 'A', rename: 'a2' }] }, extra: true }
    expect(inputChanges(ran, now)).toEqual([
      { path: 'cutoff', ran: '"2019-01-01"', now: '"2020-06-01"' },
      { path: 'rules.map[0].rename', ran: '"a"', now: '"a2"' },
      { path: 'rules.map[1]', ran: '{"room":"B","rename":null}' },
      { path: 'extra', now: 'true' },
    ])
    expect(inputChanges(ran, structuredClone(ran))).toEqual([])
  })
})
