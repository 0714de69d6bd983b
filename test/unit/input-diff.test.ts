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

describe('inputChanges on lists', () => {
  it('aligns a list on its equal elements: one inserted or removed element is one change, not every later one', () => {
    const map = (...rooms: string[]) => rooms.map((room) => ({ room, rename: null }))
    expect(inputChanges({ map: map('A', 'B', 'C', 'D') }, { map: map('A', 'X', 'B', 'C', 'D') })).toEqual([{ path: 'map[1]', now: '{"room":"X","rename":null}' }])
    // A removed element is named by its place in the list that ran.
    expect(inputChanges({ map: map('A', 'B', 'C', 'D') }, { map: map('A', 'C', 'D') })).toEqual([{ path: 'map[1]', ran: '{"room":"B","rename":null}' }])
    // An element edited in place still shows its changed leaf, beside an insertion elsewhere.
    const edited = [...map('A', 'B'), { room: 'C', rename: 'c' }, ...map('D')]
    expect(inputChanges({ map: map('A', 'B', 'C', 'D') }, { map: [...map('N'), ...edited] })).toEqual([
      { path: 'map[0]', now: '{"room":"N","rename":null}' },
      { path: 'map[3].rename', ran: 'null', now: '"c"' },
    ])
  })
})
