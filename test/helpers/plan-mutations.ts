/**
 * Seeded, deterministic mutations of plan text for fuzzing `cutover validate`: the edits people
 * and tools make by mistake (a deleted or doubled line, a bad indent, a stray bracket, a pasted
 * control or line-break character), plus a few floods (thousands of brackets, deep nesting) that
 * once crashed or hung the parser.
 */

/** mulberry32: a small PRNG, so that a failing case is reproduced from its seed alone. */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Rng = () => number
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T
const int = (rng: Rng, n: number): number => Math.floor(rng() * n)

const TOKENS = [
  '[', ']', '{', '}', ',', ':', ': ', '- ', '? ', '&a ', '*a', '*nope', '!foo ', '!!binary ', '"', "'", '#', '|', '>', '\t', '\r', '\n', '\r\n',
  '\u0085', '\u2028', '\u2029', '\u0007', '\u0000', '\ufffd', '\ufeff', '%YAML 1.1\n', '---\n', '...\n', '<<: *a\n', '\\', '${env:', '${env:X}', '0026-',
  'null', '~', 'true', '0x1F', '1e999', '-.inf', '.nan', '"\\u2028"', '"\\r"', 'é', '😀', ' '.repeat(40),
]

const VALUES = ['', '""', '[]', '{}', 'null', '0', '-1', '99999999999999999999', '1.5', 'true', 'x'.repeat(5000), '0026-12-05T22:00', '2026-02-30T10:00', '2026-03-08T02:30', 'Nowhere/Zone', '"a\\rb"', '"a\\u2029b"', '[a, [b, {c: d}]]']

function lines(text: string): string[] {
  return text.split('\n')
}

const MUTATIONS: readonly ((text: string, rng: Rng) => string)[] = [
  // insert a hostile token
  (t, r) => { const at = int(r, t.length + 1); return t.slice(0, at) + pick(r, TOKENS) + t.slice(at) },
  // delete a span
  (t, r) => { const at = int(r, t.length); return t.slice(0, at) + t.slice(at + 1 + int(r, 40)) },
  // delete, double or swap whole lines
  (t, r) => { const l = lines(t); l.splice(int(r, l.length), 1); return l.join('\n') },
  (t, r) => { const l = lines(t); const i = int(r, l.length); l.splice(i, 0, l[i] ?? ''); return l.join('\n') },
  (t, r) => { const l = lines(t); const i = int(r, l.length); const j = int(r, l.length); [l[i], l[j]] = [l[j] ?? '', l[i] ?? '']; return l.join('\n') },
  // indent a line more or less
  (t, r) => { const l = lines(t); const i = int(r, l.length); l[i] = r() < 0.5 ? ' '.repeat(1 + int(r, 4)) + (l[i] ?? '') : (l[i] ?? '').replace(/^ {1,3}/, ''); return l.join('\n') },
  // replace a value after a colon
  (t, r) => { const l = lines(t); const i = int(r, l.length); l[i] = (l[i] ?? '').replace(/:\s.*$/, `: ${pick(r, VALUES)}`); return l.join('\n') },
  // truncate
  (t, r) => t.slice(0, int(r, t.length)),
  // change one digit (dates, versions, ports)
  (t, r) => { const digits = [...t.matchAll(/\d/g)]; const m = digits[int(r, digits.length)]; return m?.index === undefined ? t : t.slice(0, m.index) + String(int(r, 10)) + t.slice(m.index + 1) },
]

/** Rare floods: each is a known way to make a YAML parser recurse or report without end. */
const FLOODS: readonly ((text: string, rng: Rng) => string)[] = [
  (t, r) => `${t}\nx: ${pick(r, ['[', '{a: ', '[{', '- [']).repeat(500 + int(r, 2500))}`,
  (t, r) => `${t}\nx: ${pick(r, [']', '}', ']}', ','])
    .repeat(5000 + int(r, 35000))}`,
  (t, r) => `${t}\nx:\n${Array.from({ length: 100 + int(r, 1900) }, (_, i) => `${' '.repeat(i + 1)}${r() < 0.5 ? '- ' : `k${i}:`}`).join('\n')} 1\n`,
  (t, r) => `${t}\nx: &a [1]\n${Array.from({ length: 50 + int(r, 200) }, (_, i) => `y${i}: [*a, *a, *a, *a, *a, *a, *a, *a]`).join('\n')}\n`,
]

/** The `index`-th mutant of `text` under `seed`: one to three edits, and one case in 50 a flood. */
export function mutate(text: string, seed: number, index: number): string {
  const rng = random(seed * 1_000_003 + index)
  let out = text
  if (rng() < 0.02) return pick(rng, FLOODS)(out, rng)
  const edits = 1 + int(rng, 3)
  for (let e = 0; e < edits; e++) out = pick(rng, MUTATIONS)(out, rng)
  return out
}

/** A finding line (`file:line:col: error|warning: message [rule]`) or a per-file summary line. */
export function isPositionedOrSummary(line: string, file: string): boolean {
  if (line.startsWith(`${file}: valid`) || line.startsWith(`${file}: invalid, `)) return true
  if (!line.startsWith(`${file}:`)) return false
  return /^:\d+:\d+: (error|warning): [^\r\n\u0085\u2028\u2029]+ \[[a-z0-9/-]+\]$/.test(line.slice(file.length))
}
