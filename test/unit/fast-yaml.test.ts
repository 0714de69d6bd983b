import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fastPlanValue, quoteAcrossLines } from '../../runner/plan/fast-yaml.js'
import { validatePlanText, validateWithPositions } from '../../runner/plan/load.js'
import { PlanDocument } from '../../runner/plan/yaml.js'

/**
 * The contract of the second parser (runner/plan/fast-yaml.ts): whenever js-yaml's fast path gives
 * a value, it is the value `yaml` gives; and validation through it (with its fallback) reports
 * exactly what the `yaml` path reports. Checked on every example plan and on mutations of them:
 * each line replaced, re-indented, doubled or dropped, and each value swapped for scalars that
 * the two parsers' default schemas resolve differently.
 */
const root = join(import.meta.dirname, '..', '..')
const plans = [
  ...readdirSync(join(root, 'plans')).filter((f) => f.endsWith('.yaml')).map((f) => join(root, 'plans', f)),
  ...readdirSync(join(root, 'test', 'plans', 'good')).map((f) => join(root, 'test', 'plans', 'good', f)),
]

const VALUES = [
  'null', '~', 'Null', 'true', 'True', 'yes', 'off', '0x1F', '0o17', '017', '0b101', '1_000', '+1', '-0', '1e3', '1.50', '-.5', '.inf', '-.Inf', '.nan',
  '2019-01-01', '2026-12-05T22:00:00Z', "'single'", '"dou\\tble"', '"\\u00e9"', '[a, b]', '{a: 1}', '{}', '[]', '|\n  block\n  text', '>-\n  folded\n  text',
  'a: b', '"R&D"', 'R&D', 'x # comment', 'x #', "'it''s'", '"', "'", ']', '}', '- x', '? x', '<<', 'a:b', ': x', '%x', '@x', '`x',
]

function mutations(text: string): string[] {
  const lines = text.split('\n')
  const out: string[] = []
  lines.forEach((line, i) => {
    const set = (l: string) => [...lines.slice(0, i), l, ...lines.slice(i + 1)].join('\n')
    out.push([...lines.slice(0, i), ...lines.slice(i + 1)].join('\n'))
    out.push(set(` ${line}`))
    if (line.startsWith('  ')) out.push(set(line.slice(1)))
    out.push([...lines.slice(0, i + 1), line, ...lines.slice(i + 1)].join('\n'))
    const m = /^(\s*(?:- )?[\w$]+:)(\s*)(.*)$/.exec(line)
    if (m !== null) {
      for (let k = 0; k < 4; k++) out.push(set(`${m[1]} ${VALUES[(i * 4 + k) % VALUES.length] ?? ''}`))
      out.push(set(`${m[1]}`))
      out.push(set(`${m[1]}${m[2]}${m[3]}  # note`))
      const key = /^\s*(?:- )?([\w$]+):/.exec(line)?.[1] ?? ''
      out.push(set(line.replace(`${key}:`, `${VALUES[i % VALUES.length]?.split('\n')[0] ?? ''}:`)))
    }
  })
  return out
}

const texts = plans.flatMap((p) => {
  const text = readFileSync(p, 'utf8')
  return [text, text.replace(/\n/g, '\r\n'), ...mutations(text)]
})

describe('fast YAML path', () => {
  it('reads the example plans (it is not a path never taken)', () => {
    for (const p of readdirSync(join(root, 'plans')).filter((f) => f.endsWith('.yaml'))) {
      expect(fastPlanValue(readFileSync(join(root, 'plans', p), 'utf8')), p).toBeDefined()
    }
  })

  // Every other mutation, and for validation every twentieth: all of them take a minute on a busy
  // machine (CUTOVER_FAST_YAML_ALL=1 runs every one in both tests).
  const all = process.env.CUTOVER_FAST_YAML_ALL === '1'
  const sample = all ? texts : texts.filter((_, i) => i % 2 === 0)
  it(`gives yaml's value or none, on ${sample.length} plans and mutations`, () => {
    let fast = 0
    for (const text of sample) {
      const value = fastPlanValue(text)
      if (value === undefined) continue
      fast++
      const slow = PlanDocument.parse(text, 'p.yaml')
      expect(slow.findings, text).toEqual([])
      expect(value, text).toStrictEqual(slow.value)
    }
    // Most mutations stay plain YAML; if the fast path stopped taking them, it would prove nothing.
    expect(fast).toBeGreaterThan(sample.length / 4)
  }, all ? 900_000 : undefined)

  // The bad-plan corpus whole, with a sample of the mutations.
  it('validates exactly as the yaml path does, the findings and the plan', () => {
    const bad = join(root, 'test', 'plans', 'bad')
    const corpus = readdirSync(bad).filter((f) => f.endsWith('.yaml') || f.endsWith('.bin')).map((f) => readFileSync(join(bad, f), 'utf8'))
    for (const text of [...texts.filter((_, i) => all || i % 20 === 0), ...corpus]) expect(validatePlanText(text, 'p.yaml'), text).toStrictEqual(validateWithPositions(text, 'p.yaml'))
  }, all ? 900_000 : undefined)

  it('leaves anchors, aliases, tags, merge keys, duplicate keys and second documents to yaml', () => {
    const base = readFileSync(join(root, 'plans', 'lab.yaml'), 'utf8')
    for (const extra of ['x: &a 1\ny: *a\n', 'x: !!str 1\n', 'x: !foo 1\n', '<<: {a: 1}\n', 'name: twice\n', '---\nname: second\n', '%YAML 1.1\n', '? [a]\n: b\n', '[a]: b\n', "x: 'two\n  lines'\n", 'x: "two\\\n  lines"\n', 'x: 1\ry: 2\n']) {
      expect(fastPlanValue(`${base}${extra}`), extra).toBeUndefined()
    }
  })

  // The scanner jumps from quote to quote; this is the character-by-character loop it replaced,
  // the plain statement of the rule, run on every short text of the characters that matter.
  function quoteAcrossLinesByChar(text: string): boolean {
    let quote: string | undefined
    let prev = '\n'
    for (let i = 0; i < text.length; i++) {
      const c = text[i] ?? ''
      if (quote === "'") {
        if (c === "'") {
          if (text[i + 1] === "'") i++
          else quote = undefined
        }
      } else if (quote === '"') {
        if (c === '\\') {
          if (text[i + 1] === '\n' || text[i + 1] === '\r') return true
          i++
        } else if (c === '"') quote = undefined
      } else if (c === '#' && (prev === ' ' || prev === '\n')) {
        const end = text.indexOf('\n', i)
        if (end < 0) return false
        i = end
      } else if ((c === "'" || c === '"') && ' \n[{,:'.includes(prev)) quote = c
      if (quote !== undefined && (c === '\n' || c === '\r')) return true
      prev = text[i] ?? ''
    }
    return quote !== undefined
  }

  it('finds a quoted scalar across lines exactly as the character-by-character loop does', () => {
    const alphabet = [' ', '\n', '\r', "'", '"', '#', '\\', 'a', ':', '[', ',']
    let seed = 14
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed % n
    }
    let across = 0
    for (let k = 0; k < 50_000; k++) {
      const text = Array.from({ length: next(14) }, () => alphabet[next(alphabet.length)] ?? '').join('')
      const expected = quoteAcrossLinesByChar(text)
      if (expected) across++
      expect(quoteAcrossLines(text), JSON.stringify(text)).toBe(expected)
    }
    // Both answers occur often enough to mean something.
    expect(across).toBeGreaterThan(5_000)
    expect(across).toBeLessThan(45_000)
  })
})
