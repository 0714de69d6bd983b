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

/** Above this many element pairs between the common head and tail, two lists are compared place
 * by place rather than aligned (the alignment costs their product). */
const ALIGN_LIMIT = 1_000_000

/**
 * Which elements of `a` and `b` are the same (by their JSON), as pairs of indexes in order: the
 * common head and tail, and a longest common subsequence of the middle when it is small enough.
 * So one mapping inserted in a list of many shows as one added element, not as every later one
 * changed.
 */
function sameElements(a: readonly string[], b: readonly string[]): [number, number][] {
  let head = 0
  while (head < a.length && head < b.length && a[head] === b[head]) head++
  let tail = 0
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++
  const pairs: [number, number][] = Array.from({ length: head }, (_, i) => [i, i])
  const n = a.length - head - tail
  const m = b.length - head - tail
  if (n > 0 && m > 0 && n * m <= ALIGN_LIMIT) {
    // lengths[i][j]: the longest common subsequence of a[head+i..] and b[head+j..].
    const lengths = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1))
    for (let i = n - 1; i >= 0; i--) {
      const row = lengths[i] as Uint32Array
      const below = lengths[i + 1] as Uint32Array
      for (let j = m - 1; j >= 0; j--) row[j] = a[head + i] === b[head + j] ? (below[j + 1] ?? 0) + 1 : Math.max(below[j] ?? 0, row[j + 1] ?? 0)
    }
    let i = 0
    let j = 0
    while (i < n && j < m) {
      if (a[head + i] === b[head + j]) {
        pairs.push([head + i, head + j])
        i++
        j++
      } else if ((lengths[i + 1]?.[j] ?? 0) >= (lengths[i]?.[j + 1] ?? 0)) i++
      else j++
    }
  }
  for (let t = tail; t > 0; t--) pairs.push([a.length - t, b.length - t])
  return pairs
}

/** Two lists: the elements between each pair of same ones are compared place by place (an edited
 * element shows its changed leaves), the surplus of either side as removed or added. */
function listChanges(ran: readonly JsonValue[], now: readonly JsonValue[], path: string): InputChange[] {
  const same = sameElements(ran.map((v) => JSON.stringify(v)), now.map((v) => JSON.stringify(v)))
  const out: InputChange[] = []
  let i = 0
  let j = 0
  for (const [si, sj] of [...same, [ran.length, now.length] as [number, number]]) {
    for (; i < si && j < sj; i++, j++) out.push(...inputChanges(ran[i], now[j], `${path}[${j}]`))
    for (; i < si; i++) out.push(...inputChanges(ran[i], undefined, `${path}[${i}]`))
    for (; j < sj; j++) out.push(...inputChanges(undefined, now[j], `${path}[${j}]`))
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
