import { existsSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Ajv2020 } from 'ajv/dist/2020.js'
import type { ErrorObject, Options, ValidateFunction } from 'ajv'
import type { FormatsPlugin } from 'ajv-formats'
import { packageRoot } from '../paths.js'
import type { Finding } from './findings.js'
import type { Path, PlanDocument } from './yaml.js'

// The ajv compiler is loaded only to compile (at build time, or when the precompiled validator
// is missing or stale): loading it costs more than validating a plan. Both packages are CommonJS,
// so require() loads them synchronously.
const require = createRequire(import.meta.url)

/** A schema node as far as messages need it. */
interface SchemaNode {
  readonly description?: string
  readonly patternHint?: string
  readonly properties?: Readonly<Record<string, SchemaNode>>
  readonly enum?: readonly unknown[]
}

let compiled: ValidateFunction | undefined

export function schemaPath(): string {
  return join(packageRoot(), 'migration.schema.json')
}

export function readPlanSchema(): object {
  return JSON.parse(readFileSync(schemaPath(), 'utf8')) as object
}

/** The one ajv configuration of the plan schema: 2020-12, strict, allErrors, formats, defaults. */
export function buildAjv(extra: Options = {}): Ajv2020 {
  const { Ajv2020: AjvClass } = require('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 }
  const addFormats = require('ajv-formats') as FormatsPlugin
  const ajv = new AjvClass({ strict: true, allErrors: true, verbose: true, useDefaults: true, ...extra })
  addFormats(ajv, ['date'])
  // An annotation our messages use to say what a pattern means; editors ignore it.
  ajv.addKeyword({ keyword: 'patternHint', schemaType: 'string' })
  return ajv
}

/** The plan validator, once per process: the one the build precompiled (dist/plan-validator.cjs)
 * when it is at least as new as the schema, else compiled now from the same configuration. */
export function planValidator(): ValidateFunction {
  if (compiled !== undefined) return compiled
  const precompiled = join(packageRoot(), 'dist', 'plan-validator.cjs')
  if (existsSync(precompiled) && statSync(precompiled).mtimeMs >= statSync(schemaPath()).mtimeMs) {
    const mod = require(precompiled) as { default: ValidateFunction }
    compiled = mod.default
  } else {
    compiled = buildAjv().compile(readPlanSchema())
  }
  return compiled
}

/** Validates `value` against the schema (applying defaults in place) and turns ajv's errors into
 * findings that name the place and say what to write instead. */
export function checkSchema(value: unknown, doc: PlanDocument): Finding[] {
  const validate = planValidator()
  if (validate(value)) return []
  const seen = new Set<string>()
  const findings: Finding[] = []
  for (const e of validate.errors ?? []) {
    const f = toFinding(e, doc)
    if (f === undefined) continue
    const key = `${f.line}:${f.column}:${f.message}`
    if (seen.has(key)) continue
    seen.add(key)
    findings.push(f)
  }
  return findings
}

function toFinding(e: ErrorObject, doc: PlanDocument): Finding | undefined {
  const path = pointerToPath(e.instancePath)
  const where = describePath(path)
  const parent = (e.parentSchema ?? {}) as SchemaNode
  const params = e.params as Record<string, unknown>
  const at = (p: Path, part: 'value' | 'key' = 'value') => doc.position(p, part)
  const make = (p: Path, message: string, kind: string, part: 'value' | 'key' = 'value'): Finding =>
    doc.finding(at(p, part), 'error', message, `schema/${kind}`)

  switch (e.keyword) {
    case 'required': {
      const prop = String(params.missingProperty)
      const about = firstSentence(parent.properties?.[prop]?.description)
      const whereText = path.length === 0 ? 'the plan' : where
      return make(path, `${whereText} is missing '${prop}'${about ? ` (${about})` : ''}`, 'required')
    }
    case 'additionalProperties': {
      const prop = String(params.additionalProperty)
      const known = Object.keys(parent.properties ?? {})
      const guess = closest(prop, known)
      const hint = guess !== undefined ? `did you mean '${guess}'?` : `expected one of: ${known.join(', ')}`
      const whereText = path.length === 0 ? 'at the top level' : `in ${where}`
      return make([...path, prop], `unknown key '${prop}' ${whereText}; ${hint}`, 'unknown-key', 'key')
    }
    case 'type':
      return make(path, `${where} must be ${article(String(params.type))} (found ${describeValue(e.data)})`, 'type')
    case 'const':
      return make(path, `${where} must be ${JSON.stringify(params.allowedValue)} (found ${describeValue(e.data)})`, 'const')
    case 'enum': {
      const allowed = (params.allowedValues as readonly unknown[]).map(String)
      const guess = typeof e.data === 'string' ? closest(e.data, allowed) : undefined
      const hint = guess !== undefined ? `; did you mean '${guess}'?` : ''
      return make(path, `${where} must be one of ${allowed.join(', ')} (found ${describeValue(e.data)})${hint}`, 'enum')
    }
    case 'pattern': {
      const hint = parent.patternHint ?? `text matching ${String(params.pattern)}`
      return make(path, `${where} ${describeValue(e.data)} is not valid: expected ${hint}`, 'pattern')
    }
    case 'format':
      return make(path, `${where} ${describeValue(e.data)} is not a valid ${params.format === 'date' ? 'date (YYYY-MM-DD)' : String(params.format)}`, 'format')
    case 'minLength':
      return make(path, `${where} must not be empty`, 'empty')
    case 'maxLength':
      return make(path, `${where} is ${String(e.data).length} characters long; at most ${String(params.limit)} are allowed`, 'too-long')
    case 'minItems':
      return make(path, params.limit === 1 ? `${where} must list at least one item` : `${where} must list at least ${String(params.limit)} items`, 'empty')
    case 'minProperties':
    case 'maxProperties': {
      const kinds = Object.keys(parent.properties ?? {}).join(', ')
      const found = e.data !== null && typeof e.data === 'object' ? Object.keys(e.data).length : 0
      return make(path, `${where} must name exactly one step kind (${kinds}); found ${found}`, 'one-kind')
    }
    default:
      return make(path, `${where} ${e.message ?? 'is not valid'}`, e.keyword)
  }
}

export function pointerToPath(pointer: string): Path {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s))
}

/** `sources[0].database.name` — the way the docs and messages name a place in the plan. */
export function describePath(path: Path): string {
  let out = ''
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`
  return out === '' ? 'the plan' : out
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing: the value is empty'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'a mapping'
  if (typeof v === 'string') return `'${v.length > 60 ? v.slice(0, 57) + '...' : v}'`
  return `${typeof v} ${String(v)}`
}

function article(type: string): string {
  const words: Record<string, string> = { object: 'a mapping (key: value)', array: 'a list', string: 'text', boolean: 'true or false', integer: 'a whole number', number: 'a number' }
  return type.split(',').map((t) => words[t] ?? t).join(' or ')
}

function firstSentence(text: string | undefined): string | undefined {
  if (text === undefined) return undefined
  // The first sentence, not fooled by "e.g." or "i.e.", without a trailing parenthesis left open.
  const sentence = /^(.*?)(?<!\be\.g|\bi\.e)\.(\s|$)/.exec(text)?.[1] ?? text
  let depth = 0
  let cut = sentence.length
  for (let i = 0; i < sentence.length; i++) {
    if (sentence[i] === '(') {
      if (depth === 0) cut = i
      depth++
    } else if (sentence[i] === ')' && depth > 0 && --depth === 0) cut = sentence.length
  }
  return sentence.slice(0, depth > 0 ? cut : sentence.length).trim()
}

/** The known name closest to a misspelling, when it is close enough to be the one meant. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase())
    if (d < bestDistance) {
      best = c
      bestDistance = d
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = tmp
    }
  }
  return row[b.length] ?? 0
}
