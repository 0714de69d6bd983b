import { roomRulesOf } from '../../runner/plan/room-rules.js'
import { cpSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { createLab } from '../../runner/lab/index.js'
import { validatePlanText } from '../../runner/plan/load.js'
import type { Plan } from '../../runner/plan/types.js'
import { takeInventory } from '../../runner/sql/inventory.js'
import type { Inventory } from '../../runner/sql/inventory.js'
import { lintInventories } from '../../runner/sql/lint.js'
import type { LintFinding } from '../../runner/sql/lint.js'
import { openSqliteClient } from '../../runner/sql/sqlite.js'
import { ROOT } from '../helpers/cli.js'

let legacy: Inventory
let emptyTarget: Inventory
let fullTarget: Inventory

function labPlan(edit: (t: string) => string = (t) => t): Plan {
  const r = validatePlanText(edit(readFileSync(join(ROOT, 'plans', 'lab.yaml'), 'utf8')), 'lab.yaml')
  if (r.plan === undefined) throw new Error(JSON.stringify(r.findings))
  return r.plan
}

async function inventoryOf(file: string, sipDomain?: string): Promise<Inventory> {
  const sql = openSqliteClient(file)
  try {
    return await takeInventory(sql, { cutoff: '2019-01-01T00:00:00Z', ...(sipDomain === undefined ? {} : { sipDomain }) })
  } finally {
    await sql.close()
  }
}

const rules = (fs: readonly LintFinding[]) => fs.map((f) => `${f.severity} ${f.rule}`)

describe('preflight lint on the lab stores (real queries, SQLite)', () => {
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-lint-'))
    await createLab({ dir, rooms: 40, messages: 4000 })
    legacy = await inventoryOf(join(dir, 'legacy.sqlite'), 'lab.cutover.test')
    emptyTarget = await inventoryOf(join(dir, 'pchat.sqlite'))
    // A target that already holds what the legacy store has: the legacy store itself will do.
    const copy = join(mkdtempSync(join(tmpdir(), 'cutover-lint-t-')), 'pchat.sqlite')
    cpSync(join(dir, 'legacy.sqlite'), copy)
    fullTarget = await inventoryOf(copy)
  })

  it('finds the trouble the lab was seeded with, as warnings, on plans/lab.yaml', () => {
    const f = lintInventories(roomRulesOf(labPlan()), new Map([['gc2010', legacy]]), emptyTarget)
    expect(rules(f)).toEqual(['warning invitation-conflict', 'warning root-managers', 'warning federated-members', 'warning unprovisioned-members', 'warning disabled-rooms'])
    expect(f.find((x) => x.rule === 'invitation-conflict')?.items).toEqual(['Sales/Deals ‚Q4‛ – invitations on'])
    expect(f.find((x) => x.rule === 'disabled-rooms')?.items).toHaveLength(legacy.rooms.filter((r) => r.disabled && r.categoryPath[0] !== 'Archive').length)
    // Federated means another SIP domain than the source's: the lab's partners are at fabrikam.com.
    expect(f.find((x) => x.rule === 'federated-members')?.items.length).toBeGreaterThan(0)
  })

  it('names over 256 characters once flattened are an error when their category is exported', () => {
    const f = lintInventories(roomRulesOf(labPlan((t) => t.replace('    - { source: gc2010, from: Archive, export: false }\n', ''))), new Map([['gc2010', legacy]]), emptyTarget)
    const long = f.find((x) => x.rule === 'flattened-name-too-long')
    expect(long?.severity).toBe('error')
    expect(long?.items).toHaveLength(1)
    expect((long?.items[0] ?? '').length).toBeGreaterThan(256)
  })

  it('mappings that name nothing in the store are errors', () => {
    const f = lintInventories(roomRulesOf(labPlan((t) => t.replace('Sales/Pipeline review', 'Sales/Pipeline reveiw').replace('from: Engineering/Build,', 'from: Engineering/Buld,'))), new Map([['gc2010', legacy]]), emptyTarget)
    const missing = f.filter((x) => x.rule === 'mapping-not-found')
    expect(missing.map((m) => m.items)).toEqual([['Engineering/Buld'], ['Sales/Pipeline reveiw']])
    expect(missing.every((m) => m.severity === 'error')).toBe(true)
  })

  it('with unmapped: error, every migrated room no mapping names is an error', () => {
    const plan = labPlan((t) => t.replace('unmapped: migrate', 'unmapped: error'))
    const f = lintInventories(roomRulesOf(plan), new Map([['gc2010', legacy]]), emptyTarget)
    const unmapped = f.find((x) => x.rule === 'unmapped-rooms')
    const migrated = legacy.rooms.filter((r) => !r.disabled && r.categoryPath[0] !== 'Archive').length
    expect(unmapped?.items).toHaveLength(migrated - plan.rooms.map.length)
  })

  it('a target that is not empty is reported with the same-named items Import would overwrite', () => {
    const f = lintInventories(roomRulesOf(labPlan()), new Map([['gc2010', legacy]]), fullTarget)
    const t = f.find((x) => x.rule === 'target-not-empty')
    expect(t?.severity).toBe('warning')
    expect(t?.message).toMatch(/Import will overwrite \d+ same-named item\(s\): 'Engineering'/)
  })

  it('access-control entries near or over Microsoft\'s 2 million are reported', () => {
    const near = lintInventories(roomRulesOf(labPlan()), new Map([['gc2010', { ...legacy, accessControlEntries: 1_700_000 }]]), emptyTarget).find((x) => x.rule === 'access-control-entries')
    const over = lintInventories(roomRulesOf(labPlan()), new Map([['gc2010', { ...legacy, accessControlEntries: 2_100_000 }]]), emptyTarget).find((x) => x.rule === 'access-control-entries')
    expect(near?.severity).toBe('warning')
    expect(over?.severity).toBe('error')
    expect(lintInventories(roomRulesOf(labPlan()), new Map([['gc2010', legacy]]), emptyTarget).some((x) => x.rule === 'access-control-entries')).toBe(false)
    expect(legacy.accessControlEntries).toBeGreaterThan(0)
  })

  it('tells a name containing / (written \\/ in plans) from two nested names', () => {
    const inv: Inventory = {
      cutoff: null, principals: { active: 0, sipDisabled: 0, deleted: 0 }, rootManagers: 0, accessControlEntries: 0,
      totals: { categories: 1, rooms: 1, messages: 0, allMessages: 0, roles: 0 },
      categories: [{ id: 2, path: ['R&D/QA'], flattened: 'R&D/QA', disabled: false, invite: 0 }],
      rooms: [{ id: 3, name: 'Daily', categoryId: 2, categoryPath: ['R&D/QA'], disabled: false, invite: null, visibility: 6, behavior: 4, messages: 0, allMessages: 0, roles: {}, rootManagersHere: 0, unprovisioned: 0, federated: 0 }],
    }
    const mapping = (room: string) => labPlan((t) => t.replace(/ {2}map:\n( {4}- .*\n)+/, `  map:\n    - { source: gc2010, room: '${room}', privacy: open }\n`).replace(/ {4}- \{ source: gc2010, from: Engineering\/Build, to: Build and Release \}\n/, ''))
    const notFound = (p: Plan) => lintInventories(roomRulesOf(p), new Map([['gc2010', inv]]), emptyTarget).filter((f) => f.rule === 'mapping-not-found').flatMap((f) => f.items).filter((i) => i.endsWith('Daily'))
    expect(notFound(mapping('R&D\\/QA/Daily'))).toEqual([])
    expect(notFound(mapping('R&D/QA/Daily'))).toEqual(['R&D/QA/Daily'])
  })
})

describe('preflight lint of two legacy pools merged into one (lab init --legacy-pools 2)', () => {
  let hq: Inventory
  let emea: Inventory
  let empty: Inventory
  const merge = (edit: (t: string) => string = (t) => t): Plan => {
    const r = validatePlanText(edit(readFileSync(join(ROOT, 'test', 'plans', 'lab-merge.yaml'), 'utf8')), 'lab-merge.yaml')
    if (r.plan === undefined) throw new Error(JSON.stringify(r.findings))
    return r.plan
  }
  const both = () => new Map([['gc2010', hq], ['emea', emea]])

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-lint2-'))
    await createLab({ dir, rooms: 16, messages: 1000, legacyPools: 2 })
    hq = await inventoryOf(join(dir, 'legacy.sqlite'), 'lab.cutover.test')
    emea = await inventoryOf(join(dir, 'legacy2.sqlite'), 'lab.cutover.test')
    empty = await inventoryOf(join(dir, 'pchat.sqlite'))
  })

  it('test/plans/lab-merge.yaml keeps every name apart: no error', () => {
    expect(lintInventories(roomRulesOf(merge()), both(), empty).filter((f) => f.severity === 'error')).toEqual([])
  })

  it('without the first pool\'s renames, the second import would overwrite its categories and rooms: errors naming them', () => {
    // validate refuses such a plan already (the mapped names); the lint sees every room.
    const all = roomRulesOf(merge())
    const rules = { ...all, categories: all.categories.filter((c) => !(c.source === 'gc2010' && ['Engineering', 'Sales'].includes(c.from))), map: all.map.filter((m) => !m.room.startsWith('Engineering/Code review')) }
    const f = lintInventories(rules, both(), empty)
    const over = f.filter((x) => x.rule === 'import-overwrites')
    expect(over.map((x) => [x.severity, x.source])).toEqual([['error', 'emea']])
    expect([...(over[0]?.items ?? [])].sort()).toEqual([
      "'Engineering Code review ‘daily’' (Engineering/Code review ‘daily’; held by gc2010: Engineering/Code review ‘daily’)",
      "'Engineering' (Engineering; held by gc2010: Engineering)",
      "'Sales' (Sales; held by gc2010: Sales)",
    ].sort())
  })

  it('a rename of the first pool to a name the second imports is an overwrite too: the lint compares every room, mapped or not', () => {
    const all = roomRulesOf(merge())
    const rules = { ...all, map: all.map.map((m) => (m.room.startsWith('Engineering/Code review') ? { ...m, rename: 'Engineering Stand-up EMEA' } : m)) }
    const over = lintInventories(rules, both(), empty).filter((x) => x.rule === 'import-overwrites')
    expect(over.flatMap((x) => x.items)).toEqual(["'Engineering Stand-up EMEA' (Engineering/Stand-up EMEA; held by gc2010: Engineering/Code review ‘daily’)"])
  })

  it('a rename to a name the target holds when the mappings run is an error: Set- would refuse it mid-window', () => {
    const plan = merge((t) => t.replace('rename: release-train-emea', 'rename: Engineering Stand-up EMEA'))
    const taken = lintInventories(roomRulesOf(plan), both(), empty).filter((x) => x.rule === 'rename-taken')
    expect(taken.map((x) => [x.severity, x.source, x.items])).toEqual([['error', 'emea', ["'Engineering Stand-up EMEA' (Engineering/Build/Release train; held by emea: Engineering/Stand-up EMEA)"]]])
  })

  it('-Scope names categories by their own name: a left-out category sharing it with an exported one is an error', () => {
    const plan = merge((t) => t.replace('    - { source: gc2010, from: Archive, export: false }\n', '    - { source: gc2010, from: Archive, export: false }\n    - { source: emea, from: Engineering/Build, export: false }\n').replace(/ {4}- \{ source: emea, room: Engineering\/Build.*\n/, ''))
    // Leaving out emea's Engineering/Build is fine: none of its exported categories is called Build.
    expect(lintInventories(roomRulesOf(plan), both(), empty).filter((x) => x.rule === 'scope-collapses')).toEqual([])
    const clash: Inventory = { ...emea, categories: [...emea.categories, { id: 900, path: ['EMEA', 'Build'], flattened: 'EMEA Build', disabled: false, invite: 0 }] }
    const f = lintInventories(roomRulesOf(plan), new Map([['gc2010', hq], ['emea', clash]]), empty).filter((x) => x.rule === 'scope-collapses')
    expect(f.map((x) => [x.severity, x.source, x.items])).toEqual([['error', 'emea', ['Engineering/Build']]])
  })
})
