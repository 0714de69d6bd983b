import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../paths.js'
import { schemaPath } from './schema.js'

/** The part of a JSON Schema node the reference reads. */
interface Node {
  readonly $ref?: string | undefined
  readonly type?: string
  readonly const?: unknown
  readonly enum?: readonly unknown[]
  readonly description?: string
  readonly default?: unknown
  readonly format?: string
  readonly pattern?: string
  readonly maxLength?: number
  readonly required?: readonly string[]
  readonly properties?: Readonly<Record<string, Node>>
  readonly items?: Node
  readonly $defs?: Readonly<Record<string, Node>>
}

export const START = '<!-- plan-reference:start (generated from migration.schema.json by `npm run docs`) -->'
export const END = '<!-- plan-reference:end -->'

/** One key of the plan format, as the schema describes it. */
export interface ReferenceEntry {
  /** `sources[].database.instance`: `[]` marks the items of a list. */
  readonly path: string
  readonly type: string
  readonly required: boolean
  readonly default?: unknown
  readonly description: string
  /** A mapping or a list of mappings, whose keys follow as entries of their own. */
  readonly hasKeys: boolean
}

/** Every key of the plan format in document order, from the schema. */
export function referenceEntries(schema: Node): ReferenceEntry[] {
  const defs = schema.$defs ?? {}
  const resolve = (n: Node): Node => {
    if (n.$ref === undefined) return n
    const target = defs[n.$ref.replace('#/$defs/', '')]
    if (target === undefined) throw new Error(`unresolved ${n.$ref}`)
    // Sibling keywords (a description next to $ref) refine the definition.
    return { ...resolve(target), ...n, $ref: undefined }
  }
  const out: ReferenceEntry[] = []
  const walk = (node: Node, path: string): void => {
    const n = resolve(node)
    for (const [key, child] of Object.entries(n.properties ?? {})) {
      const c = resolve(child)
      const here = path === '' ? key : `${path}.${key}`
      const item = c.items === undefined ? undefined : resolve(c.items)
      const empty = c.default === undefined || (typeof c.default === 'object' && c.default !== null && Object.keys(c.default).length === 0)
      out.push({ path: here, type: typeOf(c, resolve), required: (n.required ?? []).includes(key), ...(empty ? {} : { default: c.default }), description: c.description ?? '', hasKeys: c.properties !== undefined || item?.properties !== undefined })
      if (c.properties !== undefined) walk(c, here)
      if (item?.properties !== undefined) walk(item, `${here}[]`)
    }
  }
  walk(schema, '')
  return out
}

/** The plan format reference as a Markdown table, one row per key, generated from the schema so
 * the README cannot disagree with what validate enforces. */
export function renderReference(schema: Node): string {
  const rows: string[] = ['| key | type | required | default | description |', '|---|---|---|---|---|']
  for (const e of referenceEntries(schema)) {
    rows.push(`| \`${e.path}\` | ${e.type} | ${e.required ? 'yes' : ''} | ${e.default === undefined ? '' : `\`${JSON.stringify(e.default)}\``} | ${escape(e.description)} |`)
  }
  return rows.join('\n')
}

function typeOf(n: Node, resolve: (n: Node) => Node): string {
  if (n.const !== undefined) return `\`${JSON.stringify(n.const)}\``
  if (n.enum !== undefined) return n.enum.map((v) => `\`${String(v)}\``).join(' \\| ')
  if (n.type === 'array') {
    const item = n.items === undefined ? undefined : resolve(n.items)
    return `list of ${item === undefined ? 'values' : item.properties !== undefined ? 'mappings' : typeOf(item, resolve)}`
  }
  if (n.type === 'object') return 'mapping'
  if (n.format === 'date') return 'date'
  return n.type ?? 'value'
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

export function readSchema(): Node {
  return JSON.parse(readFileSync(schemaPath(), 'utf8')) as Node
}

/** Replaces the generated section of README.md; `npm run docs` calls this. */
export function updateReadme(): boolean {
  const file = join(packageRoot(), 'README.md')
  const text = readFileSync(file, 'utf8')
  const start = text.indexOf(START)
  const end = text.indexOf(END)
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} ... ${END} section`)
  const next = `${text.slice(0, start + START.length)}\n${renderReference(readSchema())}\n${text.slice(end)}`
  if (next === text) return false
  writeFileSync(file, next)
  return true
}
