import { FAILSAFE_SCHEMA, Type, load } from 'js-yaml'
import type { Schema } from 'js-yaml'

/**
 * The fast path of plan parsing (issue 14): js-yaml reads a 10,000-room plan in a fifth of the
 * time `yaml` takes, but keeps no positions and differs from `yaml` in corners a plan never
 * needs. So it is only ever an accelerator, with this contract (docs/architecture.md, "Two YAML
 * parsers"):
 *
 * 1. It runs only on plain text: no anchor, alias or tag (`&`, `*`, `!` starting a token), no
 *    directive (`%`), no second document marker, no tab, no `? ` key, no bracket closed right before
 *    a `:` (a collection as key), no control character or BOM.
 * 2. Scalars resolve with `yaml`'s YAML 1.2 core schema, re-declared below with its own tests in
 *    its order (js-yaml's own schemas resolve more, e.g. dates and 0b binary).
 * 3. Any js-yaml error (duplicate keys, more than one document, bad syntax, nesting past its depth
 *    limit) and any key `yaml` might turn into a different string (`<<`, `__proto__`, one that
 *    looks like null, a boolean or a number) means: undefined, parse with `yaml`.
 * 4. The caller uses the value only when the schema and every rule accept it with no finding at
 *    all; anything to report is reported by the `yaml` path, which alone knows positions.
 *
 * test/unit/fast-yaml.test.ts mutates every example plan and checks that whenever this returns a
 * value it is the one `yaml` gives.
 */

// An ES module import: Node loads js-yaml's one-file ES build (dist/js-yaml.mjs) where require()
// loaded its 25 CommonJS files, and every command that imports this module reads a plan.
let schema: Schema | undefined

/** yaml 2's core schema (yaml/dist/schema/core): tests and values, in its order. */
const CORE: readonly { tag: string; test: RegExp; value: (s: string) => unknown }[] = [
  { tag: 'null', test: /^(?:~|[Nn]ull|NULL)?$/, value: () => null },
  { tag: 'bool', test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, value: (s) => s[0] === 't' || s[0] === 'T' },
  { tag: 'int', test: /^0o[0-7]+$/, value: (s) => parseInt(s.substring(2), 8) },
  { tag: 'int', test: /^[-+]?[0-9]+$/, value: (s) => parseInt(s, 10) },
  { tag: 'int', test: /^0x[0-9a-fA-F]+$/, value: (s) => parseInt(s.substring(2), 16) },
  { tag: 'float', test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, value: (s) => (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY) },
  { tag: 'float', test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, value: (s) => parseFloat(s) },
  { tag: 'float', test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, value: (s) => parseFloat(s) },
]

// Every test above matches only text that starts with one of these (or is empty): most plain
// scalars of a plan (names, paths) are ruled out by one look at their first character.
const MAYBE_NOT_STRING = /^(?:[~nNtTfF0-9+.-]|$)/

function coreSchema(): Schema {
  if (schema !== undefined) return schema
  // One implicit type for all of yaml's tests, tried in yaml's order: js-yaml asks every implicit
  // type of every plain scalar, and one type per tag asked four times for each of a big plan's
  // 40,000 names. Tests of different tags never both match, so the first that matches is the
  // tag yaml gives; the tag itself is never seen (load returns plain values).
  const core = new Type('tag:yaml.org,2002:core', {
    kind: 'scalar',
    resolve: (data: string | null) => {
      const s = data ?? ''
      return MAYBE_NOT_STRING.test(s) && CORE.some((t) => t.test.test(s))
    },
    construct: (data: string | null) => {
      const s = data ?? ''
      return CORE.find((t) => t.test.test(s))?.value(s)
    },
  })
  schema = FAILSAFE_SCHEMA.extend({ implicit: [core] })
  return schema
}

// Rule 1: what only `yaml` reads as this tool must (see above). Conservative: a match inside a
// quoted string or a comment only costs the fast path.
// eslint-disable-next-line no-control-regex
const UNUSUAL = /(?:^|[ ,[{])[&*!]|^%|^\?(?:[ ]|$)|[ ,[{-]\?(?:[ ]|$)|[\]}][ ]*:(?:[ ]|$)|\n(?:---|\.\.\.)|^\.\.\.|\t|\r(?!\n)|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd\ufeff]/m

// Rule 3: keys that `yaml` would stringify from a non-string (or treat specially).
const ODD_KEY = /^(?:<<|__proto__|~|[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|[-+]?(?:[0-9].*|\.[0-9].*|Infinity)|NaN|)$/

/** The plan's value, or undefined when the `yaml` path must read it. */
export function fastPlanValue(text: string): unknown {
  if (UNUSUAL.test(text) || quoteAcrossLines(text)) return undefined
  let value: unknown
  try {
    value = load(text, { schema: coreSchema() })
  } catch {
    return undefined
  }
  return plainKeys(value) ? value : undefined
}

/** Whether a quoted scalar may run past the end of a line: `yaml` refuses some that js-yaml reads
 * (a continuation line indented less than its key). A quote opens where a scalar can start (the
 * line's start, after a space, a flow indicator or a colon); a quote read where none opens only
 * sends the plan to `yaml`. A comment starts at a '#' after a space or at a line's start. The scan
 * jumps from one character that matters to the next (a 10,000-room plan is a megabyte). */
export function quoteAcrossLines(text: string): boolean {
  let i = 0
  for (;;) {
    OUTSIDE.lastIndex = i
    const m = OUTSIDE.exec(text)
    if (m === null) return false
    i = m.index
    const c = text[i]
    const prev = i === 0 ? '\n' : (text[i - 1] ?? '')
    if (c === '#') {
      if (prev !== ' ' && prev !== '\n') {
        i++
        continue
      }
      const end = text.indexOf('\n', i)
      if (end < 0) return false
      i = end + 1
      continue
    }
    if (!' \n[{,:'.includes(prev)) {
      i++
      continue
    }
    const close = c === "'" ? closingSingle(text, i + 1) : closingDouble(text, i + 1)
    if (close === undefined) return true
    i = close + 1
  }
}

const OUTSIDE = /[#'"]/g
const IN_SINGLE = /['\n\r]/g
const IN_DOUBLE = /["\\\n\r]/g

/** Where a single-quoted scalar opened before `from` closes; undefined when a line ends first or
 * it never does. '' is an escaped quote. */
function closingSingle(text: string, from: number): number | undefined {
  for (let j = from; ; ) {
    IN_SINGLE.lastIndex = j
    const m = IN_SINGLE.exec(text)
    if (m === null || text[m.index] !== "'") return undefined
    if (text[m.index + 1] !== "'") return m.index
    j = m.index + 2
  }
}

/** As closingSingle, for a double-quoted scalar: a backslash escapes the next character, and an
 * escaped line break continues the scalar on the next line. */
function closingDouble(text: string, from: number): number | undefined {
  for (let j = from; ; ) {
    IN_DOUBLE.lastIndex = j
    const m = IN_DOUBLE.exec(text)
    if (m === null) return undefined
    const c = text[m.index]
    if (c === '"') return m.index
    if (c !== '\\') return undefined
    const next = text[m.index + 1]
    if (next === '\n' || next === '\r') return undefined
    j = m.index + 2
  }
}

/** Whether every mapping key is one `yaml` keeps as the same string; an explicit stack, as the
 * value may nest as deep as js-yaml allows. */
function plainKeys(root: unknown): boolean {
  const stack: unknown[] = [root]
  while (stack.length > 0) {
    const v = stack.pop()
    if (v === null || typeof v !== 'object') continue
    if (Array.isArray(v)) {
      for (const item of v) stack.push(item)
      continue
    }
    const o = v as Readonly<Record<string, unknown>>
    for (const k of Object.keys(o)) {
      if (ODD_KEY.test(k)) return false
      stack.push(o[k])
    }
  }
  return true
}
