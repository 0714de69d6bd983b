import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { packageRoot } from '../paths.js'
import { BECOMES } from './reference-cmdlets.js'
import { readSchema, referenceEntries } from './reference.js'
import type { ReferenceEntry } from './reference.js'

/** The example plans an entry's example is taken from, in this order: real values, as written. */
export const EXAMPLE_PLANS: readonly string[] = ['plans/contoso-lync2010.yaml', 'plans/fabrikam-ocs2007r2.yaml']

/** The value at a reference path (`rooms.map[].rename`) in a parsed plan: for `[]`, the first
 * item that has the rest of the path. */
export function valueAt(doc: unknown, path: string): unknown {
  const walk = (value: unknown, parts: readonly string[]): unknown => {
    const [head, ...rest] = parts
    if (head === undefined) return value
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
    const list = head.endsWith('[]')
    const next = (value as Record<string, unknown>)[list ? head.slice(0, -2) : head]
    if (!list) return walk(next, rest)
    if (!Array.isArray(next)) return undefined
    for (const item of next) {
      const found = walk(item, rest)
      if (found !== undefined) return found
    }
    return undefined
  }
  // Keys never hold a '.', so the path splits on it (decommission kinds hold '-').
  return walk(doc, path.split('.'))
}

function example(entry: ReferenceEntry, plans: readonly { readonly file: string; readonly doc: unknown }[]): string | undefined {
  if (entry.hasKeys) return undefined
  for (const p of plans) {
    const value = valueAt(p.doc, entry.path)
    if (value === undefined) continue
    const leaf = entry.path.split('.').at(-1)?.replace(/\[\]$/, '') ?? entry.path
    return `\`\`\`yaml\n${stringify({ [leaf]: value }, { lineWidth: 0 }).trimEnd()}\n\`\`\`\n_from ${p.file}_`
  }
  return undefined
}

function becomesLine(path: string): string | undefined {
  const b = BECOMES[path]
  if (b === undefined) return undefined
  const params = (b.params ?? []).map(([cmdlet, param]) => `\`${cmdlet} -${param}\``)
  return [params.join(', '), b.note ?? ''].filter((x) => x !== '').join('; ')
}

/** What the schema cannot say in one description: written after the entry of that key. */
const AFTER: Readonly<Record<string, readonly string[]>> = {
  sources: [
    '### Several sources into one Persistent Chat pool',
    '',
    'Microsoft documents one legacy pool into one Persistent Chat pool; merging several goes beyond',
    'it ([docs/microsoft-facts.md](microsoft-facts.md#several-legacy-pools-into-one)). cutover exports',
    'and imports the sources one at a time, in the order of `sources`. Import overwrites same-named',
    'categories and rooms, so every source but the last has its own mappings applied right after its',
    'import, with Persistent Chat started (`cutover.start-target.<id>`, `cutover.mappings.<id>`), and',
    'the services are stopped again before the next import (`cutover.stop-target.<id>`); the last',
    'source\'s mappings are `cutover.mappings`, after `cutover.start-target`.',
    '',
    'So it is the **earlier** source whose items must be renamed when a later source has items of the',
    'same imported name: a `to` or `rename` of the later source comes too late, its import has already',
    'overwritten the earlier item. `validate` walks the sources in order with the names Import gives',
    '(nested categories flattened, a room prefixed with its category path) and refuses a plan whose',
    'import would overwrite an earlier source\'s item or whose rename meets a name already taken',
    '(`target-name-collision`); the preflight lint does the same with every room of the inventories',
    '(`import-overwrites`, `same-imported-name`, `rename-taken`).',
    '',
  ],
}

/** docs/plan-reference.md: every key of the plan format with its type, whether it is required,
 * its default, what it means (all from the schema), an example from the example plans, and the
 * cmdlet parameter it becomes (reference-cmdlets.ts). */
export function renderReferenceDoc(): string {
  const root = packageRoot()
  const plans = EXAMPLE_PLANS.map((file) => ({ file, doc: parse(readFileSync(join(root, file), 'utf8')) as unknown }))
  const lines = [
    '# Plan reference',
    '',
    '<!-- Generated from migration.schema.json, runner/plan/reference-cmdlets.ts and the example plans by `npm run docs`; a test fails when it is stale. Do not edit by hand. -->',
    '',
    'A plan is one YAML file, `version: 1`, checked by `cutover validate` against',
    '[`migration.schema.json`](../migration.schema.json) and the semantic rules listed in the README.',
    'Each key below gives its type, whether it is required, its default, an example taken from the',
    'example plans in `plans/`, and what it becomes on the Lync side: the cmdlet parameter the value',
    'is passed to in the generated PowerShell (see it with `cutover plan`), or what cutover does',
    'with it. `[]` marks the items of a list. Secrets never appear in a plan: connection strings are',
    'written `${env:NAME}` and resolved at run time only.',
    '',
  ]
  for (const e of referenceEntries(readSchema())) {
    if (!e.path.includes('.')) lines.push(`## \`${e.path}\``, '')
    else lines.push(`### \`${e.path}\``, '')
    // The type is written for a table cell, where '|' is escaped.
    const facts = [e.type.replace(/\\\|/g, '|'), e.required ? 'required' : 'optional', ...(e.default === undefined ? [] : [`default \`${JSON.stringify(e.default)}\``])]
    lines.push(`${facts.join(' · ')}`, '', e.description, '')
    const becomes = becomesLine(e.path)
    if (becomes !== undefined) lines.push(`**Becomes:** ${becomes}`, '')
    const ex = example(e, plans)
    if (ex !== undefined) lines.push(ex, '')
    lines.push(...(AFTER[e.path] ?? []))
  }
  return lines.join('\n').replace(/\n+$/, '\n')
}

export const REFERENCE_DOC = 'docs/plan-reference.md'

/** Rewrites docs/plan-reference.md; returns whether it changed. */
export function updateReferenceDoc(): boolean {
  const file = join(packageRoot(), REFERENCE_DOC)
  const next = renderReferenceDoc()
  let current = ''
  try {
    current = readFileSync(file, 'utf8')
  } catch {
    // first generation
  }
  if (current === next) return false
  writeFileSync(file, next)
  return true
}
