import { describe, expect, it } from 'vitest'
import { inputChanges, sameElements } from '../../runner/compile/input-diff.js'

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

describe('sameElements: the alignment of two lists', () => {
  /** The length of a longest common subsequence, by the textbook table. */
  function lcs(a: readonly string[], b: readonly string[]): number {
    const w = b.length + 1
    const t = new Array<number>((a.length + 1) * w).fill(0)
    const at = (i: number, j: number) => t[i * w + j] ?? 0
    for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) t[i * w + j] = a[i] === b[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1))
    return at(0, 0)
  }

  it('pairs equal elements in order, as many as a longest common subsequence has (random lists)', () => {
    let seed = 7
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % n
    }
    for (let round = 0; round < 300; round++) {
      const a = Array.from({ length: next(30) }, () => 'abcde'[next(5)] as string)
      const b = Array.from({ length: next(30) }, () => 'abcde'[next(5)] as string)
      const pairs = sameElements(a, b)
      expect(pairs.length, `${a.join('')} / ${b.join('')}`).toBe(lcs(a, b))
      pairs.forEach(([i, j], n) => {
        expect(a[i]).toBe(b[j])
        if (n > 0) expect(i > (pairs[n - 1]?.[0] ?? -1) && j > (pairs[n - 1]?.[1] ?? -1)).toBe(true)
      })
    }
  })

  it('finds the two changes in 10,000 mappings: one inserted in the middle, one renamed near the end', () => {
    const ran = Array.from({ length: 10_000 }, (_, i) => ({ room: `Room ${i}`, rename: `room-${i}` }))
    const now = [...ran.slice(0, 5000), { room: 'Inserted', rename: 'inserted' }, ...ran.slice(5000)].map((m) => (m.room === 'Room 9998' ? { ...m, rename: 'renamed' } : m))
    expect(inputChanges({ map: ran }, { map: now })).toEqual([
      { path: 'map[5000]', now: '{"room":"Inserted","rename":"inserted"}' },
      { path: 'map[9999].rename', ran: '"room-9998"', now: '"renamed"' },
    ])
  })
})
