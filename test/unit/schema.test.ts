import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { validatePlanText } from '../../runner/plan/load.js'
import { END, START, readSchema, renderReference } from '../../runner/plan/reference.js'
import { RULES } from '../../runner/plan/rules/index.js'
import { ROOT } from '../helpers/cli.js'

interface SchemaNode {
  readonly $ref?: string
  readonly description?: string
  readonly properties?: Readonly<Record<string, SchemaNode>>
  readonly items?: SchemaNode
  readonly additionalProperties?: boolean
  readonly $defs?: Readonly<Record<string, SchemaNode>>
}

const schema = JSON.parse(readFileSync(join(ROOT, 'migration.schema.json'), 'utf8')) as SchemaNode

function* objects(node: SchemaNode, path: string): Generator<[string, SchemaNode]> {
  const resolved = node.$ref === undefined ? node : schema.$defs?.[node.$ref.replace('#/$defs/', '')] ?? node
  if (resolved.properties !== undefined) {
    yield [path, resolved]
    for (const [k, v] of Object.entries(resolved.properties)) yield* objects(v, `${path}.${k}`)
  }
  if (resolved.items !== undefined) yield* objects(resolved.items, `${path}[]`)
}

describe('migration.schema.json', () => {
  it('documents every property and rejects unknown keys in every mapping', () => {
    for (const [path, node] of objects(schema, '$')) {
      expect(node.additionalProperties, `${path} must reject unknown keys`).toBe(false)
      for (const [key, child] of Object.entries(node.properties ?? {})) {
        expect(child.description ?? '', `${path}.${key} needs a description`).not.toBe('')
      }
    }
  })

  it('applies the documented defaults to a minimal plan', () => {
    const r = validatePlanText(readFileSync(join(ROOT, 'test/plans/minimal.yaml'), 'utf8'), 'minimal.yaml')
    expect(r.plan?.environment.shell).toBe('powershell')
    expect(r.plan?.environment.lyncModule).toMatch(/Lync\.psd1$/)
    expect(r.plan?.downtime.margin).toBe('30m')
    expect(r.plan?.rooms).toEqual({ unmapped: 'migrate', importWarnings: 'stop', categories: [], map: [] })
    expect(r.plan?.state).toEqual({ backend: 'file', database: 'cutover' })
    expect(r.plan?.decommission).toEqual([])
  })

  it('is what the README documents (npm run docs regenerates the section)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const start = readme.indexOf(START)
    const end = readme.indexOf(END)
    expect(start).toBeGreaterThan(0)
    expect(readme.slice(start + START.length, end).trim()).toBe(renderReference(readSchema()).trim())
  })
})

describe('semantic rules', () => {
  it('have unique ids, each exercised by the bad-plan corpus', () => {
    const ids = RULES.map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
    const dir = join(ROOT, 'test/plans/bad')
    const declared = new Set<string>()
    for (const f of readdirSync(dir)) {
      for (const m of readFileSync(join(dir, f), 'latin1').matchAll(/^# expect: \S+ (\S+) /gm)) declared.add(m[1] ?? '')
    }
    const untested = ids.filter((id) => !declared.has(id))
    expect(untested, 'rules without a bad plan in test/plans/bad').toEqual([])
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    expect(ids.filter((id) => !readme.includes(`| \`${id}\` |`)), 'rules missing from the README table').toEqual([])
  })
})
