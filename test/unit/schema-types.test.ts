/**
 * runner/plan/types.ts mirrors migration.schema.json (the single source of truth): every object
 * of the schema has an interface with the same properties, optional exactly where the schema
 * neither requires nor defaults them, and the same literal values. The edits below prove the
 * comparison sees a change on either side.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/cli.js'
import { schemaVsTypes } from './schema-vs-types.js'
import type { SchemaNode } from './schema-vs-types.js'

const TYPES = join(ROOT, 'runner', 'plan', 'types.ts')
const schemaText = readFileSync(join(ROOT, 'migration.schema.json'), 'utf8')
const schema = (): SchemaNode => JSON.parse(schemaText) as SchemaNode

type Json = Record<string, unknown>

/** The object at `path` inside a parsed schema, to edit in place. */
function at(node: Json, ...path: readonly string[]): Json {
  let n: unknown = node
  for (const key of path) {
    n = (n as Json)[key]
    if (typeof n !== 'object' || n === null) throw new Error(`no object at ${path.join('.')}`)
  }
  return n as Json
}

/** The schema with one edit applied to a fresh copy. */
function editedSchema(edit: (s: Json) => void): SchemaNode {
  const s = JSON.parse(schemaText) as Json
  edit(s)
  return s as SchemaNode
}

/** A copy of types.ts with one textual edit, in a temp folder; fails when the edit matched nothing. */
function editedTypes(from: string, to: string): string {
  const text = readFileSync(TYPES, 'utf8')
  expect(text, `types.ts contains ${from}`).toContain(from)
  const file = join(mkdtempSync(join(tmpdir(), 'cutover-types-')), 'types.ts')
  writeFileSync(file, text.replace(from, to))
  return file
}

describe('runner/plan/types.ts against migration.schema.json', () => {
  it('agree on every object, property, optionality and literal value', () => {
    expect(schemaVsTypes(TYPES, schema())).toEqual([])
  })

  it('sees a property added to the schema only, at the top, in a nested object and behind $ref in a list', () => {
    const s = editedSchema((x) => {
      at(x, 'properties').owner = { type: 'string' }
      at(x, 'properties', 'target', 'properties').region = { type: 'string' }
      at(x, '$defs', 'source', 'properties').site = { type: 'string' }
      at(x, '$defs', 'database', 'properties').port = { type: 'integer' }
    })
    expect(schemaVsTypes(TYPES, s).sort()).toEqual([
      'owner: in migration.schema.json, not in types.ts',
      'sources[].database.port: in migration.schema.json, not in types.ts',
      'sources[].site: in migration.schema.json, not in types.ts',
      'target.database.port: in migration.schema.json, not in types.ts',
      'target.region: in migration.schema.json, not in types.ts',
    ])
  })

  it('sees a property added to the types only', () => {
    const file = editedTypes('  readonly margin: string\n', '  readonly margin: string\n  readonly note?: string\n')
    expect(schemaVsTypes(file, schema())).toEqual(['downtime.note: in types.ts, not in migration.schema.json'])
  })

  it('sees a change of optionality on either side, defaults counting as present', () => {
    const dropped = editedSchema((x) => {
      at(x, 'properties', 'downtime').required = ['end', 'timezone']
      delete at(x, 'properties', 'downtime', 'properties', 'margin').default
    })
    expect(schemaVsTypes(TYPES, dropped).sort()).toEqual([
      'downtime.margin: required in types.ts, but the schema neither requires nor defaults it',
      'downtime.start: required in types.ts, but the schema neither requires nor defaults it',
    ])
    const optional = editedTypes('  readonly lookupAccount: string\n', '  readonly lookupAccount?: string\n')
    expect(schemaVsTypes(optional, schema())).toEqual(['sources[].lookupAccount: optional in types.ts, but the schema requires or defaults it'])
  })

  it('sees a literal value on one side only, and a decommission kind on one side only', () => {
    const s = editedSchema((x) => {
      const shell = at(x, 'properties', 'environment', 'properties', 'shell')
      shell.enum = [...(shell.enum as unknown[]), 'zsh']
      at(x, '$defs', 'decommissionStep', 'properties').reboot = { type: 'object', properties: { server: { type: 'string' } } }
    })
    expect(schemaVsTypes(TYPES, s).sort()).toEqual([
      'decommission[].reboot: in migration.schema.json, not in types.ts',
      'environment.shell: ["\\"lab\\"","\\"powershell\\"","\\"pwsh\\""] in types.ts, ["\\"lab\\"","\\"powershell\\"","\\"pwsh\\"","\\"zsh\\""] in the schema',
    ])
    const file = editedTypes("  | { readonly manual: { readonly title: string; readonly instructions: string } }\n", "  | { readonly manual: { readonly title: string; readonly instructions: string; readonly owner: string } }\n")
    expect(schemaVsTypes(file, schema())).toEqual(['decommission[].manual.owner: in types.ts, not in migration.schema.json'])
  })
})
