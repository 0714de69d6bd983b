import { pushAll } from '../core/arrays.js'
import type { JsonValue } from '../core/json.js'

/** One input of a step that differs from what ran: where in the input, and both values (as JSON). */
export interface InputChange {
  /** `rules.map[2].rename`; empty for the whole input. An index is the element's place in the
   * inputs now, or, for an element that is gone, its place in the inputs that ran. */
  readonly path: string
  /** Absent when the input did not exist when the step ran. */
  readonly ran?: string
  /** Absent when the input no longer exists. */
  readonly now?: string
}

const isObject = (v: JsonValue | undefined): v is { readonly [k: string]: JsonValue } => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Above this many inserted and removed elements, two lists are compared place by place rather
 * than aligned (the alignment's memory grows with the square of that number). */
const ALIGN_LIMIT = 2_000

/**
 * The pairs of equal elements (by their JSON) of a shortest edit script from `a` to `b`, in
 * order (Myers' O((N+M)·D) algorithm, after trimming the common head and tail), or only the
 * common head and tail when more than ALIGN_LIMIT elements differ. So one mapping inserted in a
 * list of thousands shows as one added element, not as every later one changed.
 */
export function sameElements(a: readonly string[], b: readonly string[]): [number, number][] {
  let head = 0
  while (head < a.length && head < b.length && a[head] === b[head]) head++
  let tail = 0
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++
  const pairs: [number, number][] = Array.from({ length: head }, (_, i) => [i, i])
  pushAll(pairs, middlePairs(a.slice(head, a.length - tail), b.slice(head, b.length - tail)).map(([x, y]): [number, number] => [x + head, y + head]))
  for (let t = tail; t > 0; t--) pairs.push([a.length - t, b.length - t])
  return pairs
}

/** Myers' greedy forward search, keeping each round's furthest points to walk the path back. */
function middlePairs(a: readonly string[], b: readonly string[]): [number, number][] {
  const n = a.length
  const m = b.length
  const max = Math.min(n + m, ALIGN_LIMIT)
  const off = max + 1
  // v[off + k]: the furthest x reached on diagonal k (x - y = k) so far.
  const v = new Int32Array(2 * max + 3)
  const at = (k: number) => v[off + k] ?? 0
  // rounds[d]: v over diagonals -d-1..d+1 before round d, read back as index k + d + 1.
  const rounds: Int32Array[] = []
  let edits = -1
  search: for (let d = 0; d <= max; d++) {
    rounds.push(v.slice(off - d - 1, off + d + 2))
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? at(k + 1) : at(k - 1) + 1
      let y = x - k
      while (x < n && y < m && a[x] === b[y]) {
        x++
        y++
      }
      v[off + k] = x
      if (x >= n && y >= m) {
        edits = d
        break search
      }
    }
  }
  if (edits < 0) return []
  const pairs: [number, number][] = []
  let x = n
  let y = m
  for (let d = edits; d > 0; d--) {
    const round = rounds[d] as Int32Array
    const was = (k: number) => round[k + d + 1] ?? 0
    const k = x - y
    const from = k === -d || (k !== d && was(k - 1) < was(k + 1)) ? k + 1 : k - 1
    const px = was(from)
    const py = px - from
    while (x > px && y > py) {
      x--
      y--
      pairs.push([x, y])
    }
    x = px
    y = py
  }
  while (x > 0 && y > 0) {
    x--
    y--
    pairs.push([x, y])
  }
  return pairs.reverse()
}

/** Two lists: the elements between each pair of same ones are compared place by place (an edited
 * element shows its changed leaves), the surplus of either side as removed or added. */
function listChanges(ran: readonly JsonValue[], now: readonly JsonValue[], path: string): InputChange[] {
  const same = sameElements(ran.map((v) => JSON.stringify(v)), now.map((v) => JSON.stringify(v)))
  const out: InputChange[] = []
  let i = 0
  let j = 0
  for (const [si, sj] of [...same, [ran.length, now.length] as [number, number]]) {
    for (; i < si && j < sj; i++, j++) pushAll(out, inputChanges(ran[i], now[j], `${path}[${j}]`))
    for (; i < si; i++) pushAll(out, inputChanges(ran[i], undefined, `${path}[${i}]`))
    for (; j < sj; j++) pushAll(out, inputChanges(undefined, now[j], `${path}[${j}]`))
    i = si + 1
    j = sj + 1
  }
  return out
}

/** Every leaf in which `now` differs from `ran`, in order: objects by key, lists aligned on their
 * equal elements (sameElements). Pure. */
export function inputChanges(ran: JsonValue | undefined, now: JsonValue | undefined, path = ''): InputChange[] {
  if (isObject(ran) && isObject(now)) {
    const keys = [...new Set([...Object.keys(ran), ...Object.keys(now)])]
    return keys.flatMap((k) => inputChanges(ran[k], now[k], path === '' ? k : `${path}.${k}`))
  }
  if (Array.isArray(ran) && Array.isArray(now)) return listChanges(ran as readonly JsonValue[], now as readonly JsonValue[], path)
  if (JSON.stringify(ran) === JSON.stringify(now)) return []
  return [{ path, ...(ran === undefined ? {} : { ran: JSON.stringify(ran) }), ...(now === undefined ? {} : { now: JSON.stringify(now) }) }]
}
