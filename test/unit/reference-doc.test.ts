import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { compile } from '../../runner/compile/compile.js'
import { createLab } from '../../runner/lab/index.js'
import { BECOMES } from '../../runner/plan/reference-cmdlets.js'
import { REFERENCE_DOC, renderReferenceDoc, valueAt } from '../../runner/plan/reference-doc.js'
import { readSchema, referenceEntries } from '../../runner/plan/reference.js'
import { ROOT } from '../helpers/cli.js'
import { renderScript } from '../../runner/runtimes/powershell/script.js'
import { takeInventory } from '../../runner/sql/inventory.js'
import { openSqliteClient } from '../../runner/sql/sqlite.js'
import { platformOf } from '../../runner/runtimes/index.js'
import { kindNamed } from '../../runner/steps/registry.js'
import { PLAN_FILES, loadPlan, renderPlan } from '../render/rendered.js'

const lines = PLAN_FILES.flatMap((f) => renderPlan(f).flatMap((s) => s.text.split('\n')))

// Some parameters exist only once the inventory is known (the export's -Scope): render the lab
// plan's scripts again with a real inventory of a real lab store.
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-refdoc-'))
  await createLab({ dir, rooms: 20, messages: 200 })
  const sql = openSqliteClient(join(dir, 'legacy.sqlite'), { readonly: true })
  const inventory = await takeInventory(sql, { cutoff: '2019-01-01T00:00:00Z', sipDomain: 'lab.cutover.test' })
  await sql.close()
  const plan = loadPlan('plans/lab.yaml')
  for (const step of compile(plan, platformOf(plan))) {
    for (const a of kindNamed(step.kind)?.preview(step, { inventory: () => inventory }, platformOf(plan)) ?? []) {
      if (a.type === 'commands') lines.push(...renderScript(step, plan, a.commands).split('\n'))
    }
  }
})
/** Whether some rendered script line calls the cmdlet with that parameter. */
const rendered = (cmdlet: string, param: string) => {
  const re = new RegExp(`(^|[\\s({;])${cmdlet}\\b.* -${param}\\b`)
  return lines.some((l) => re.test(l))
}

describe('docs/plan-reference.md', () => {
  it('is what npm run docs generates from the schema, the cmdlet table and the example plans', () => {
    expect(readFileSync(join(ROOT, REFERENCE_DOC), 'utf8')).toBe(renderReferenceDoc())
  })

  it('has a section for every key of the schema, each with its description', () => {
    const doc = renderReferenceDoc()
    for (const e of referenceEntries(readSchema())) {
      expect(doc, e.path).toContain(`\`${e.path}\``)
      expect(doc, e.path).toContain(e.description)
    }
  })

  it('names only keys the schema has', () => {
    const keys = new Set(referenceEntries(readSchema()).map((e) => e.path))
    for (const key of Object.keys(BECOMES)) expect(keys.has(key), key).toBe(true)
  })

  it('names only cmdlet parameters that the example plans really render', () => {
    const pairs = Object.values(BECOMES).flatMap((b) => b.params ?? [])
    expect(pairs.length).toBeGreaterThan(20)
    for (const [cmdlet, param] of pairs) expect(rendered(cmdlet, param), `${cmdlet} -${param}`).toBe(true)
    // The check itself can fail.
    expect(rendered('Export-CsPersistentChatData', 'Force')).toBe(false)
    expect(rendered('New-CsPersistentChatRoom', 'Name')).toBe(false)
  })

  it('takes examples from the first item of a list that has the key', () => {
    const doc = { rooms: { map: [{ room: 'a' }, { room: 'b', rename: 'c' }] } }
    expect(valueAt(doc, 'rooms.map[].rename')).toBe('c')
    expect(valueAt(doc, 'rooms.map[].room')).toBe('a')
    expect(valueAt(doc, 'rooms.cutoff')).toBeUndefined()
  })
})
