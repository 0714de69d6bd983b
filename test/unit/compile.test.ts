import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compile } from '../../runner/compile/compile.js'
import { validatePlanText } from '../../runner/plan/load.js'
import type { Plan } from '../../runner/plan/types.js'
import { platformOf } from '../../runner/runtimes/index.js'
import { kindNamed } from '../../runner/steps/registry.js'
import { ROOT } from '../helpers/cli.js'

function load(file: string, edit: (t: string) => string = (t) => t): Plan {
  const r = validatePlanText(edit(readFileSync(join(ROOT, file), 'utf8')), file)
  if (r.plan === undefined) throw new Error(JSON.stringify(r.findings))
  return r.plan
}

/** The plan's steps, compiled for the platform of its runtime. */
function compiled(plan: Plan): ReturnType<typeof compile> {
  return compile(plan, platformOf(plan))
}

describe('compile', () => {
  it('follows the documented order of the cutover (docs/microsoft-facts.md#the-documented-order-of-the-cutover) for one source', () => {
    const ids = compiled(load('plans/contoso-lync2010.yaml')).map((s): string => s.id)
    const order = [
      'preflight.inventory.gc2010', 'preflight.readiness', 'preflight.target', 'preflight.lint', 'prepare.disable-rooms.gc2010', 'prepare.workdir',
      // The plan's go/no-go (checkpoints:) right before Group Chat stops.
      'cutover.checkpoint.1', 'cutover.stop-legacy.gc2010', 'cutover.backup-legacy.gc2010', 'cutover.inventory.gc2010', 'cutover.export.gc2010',
      'cutover.stop-target', 'cutover.backup-target.gc2010', 'cutover.import-whatif.gc2010', 'cutover.import.gc2010',
      // The mappings once Persistent Chat runs again: nothing says its room cmdlets work while it is stopped.
      'cutover.filestore.gc2010', 'cutover.lookup-account', 'cutover.endpoint', 'cutover.start-target', 'cutover.mappings', 'cutover.verify',
      'decommission.1.uninstall-groupchat', 'decommission.2.remove-trusted-application', 'decommission.3.manual', 'post.checkpoint.2', 'post.enable-clients', 'post.report',
    ]
    expect(ids).toEqual(order)
  })

  it('exports and imports several legacy pools one at a time, each import with its own pre-import backup', () => {
    const ids = compiled(load('plans/fabrikam-ocs2007r2.yaml')).map((s): string => s.id).filter((id) => id.startsWith('cutover.'))
    expect(ids.indexOf('cutover.import.hq')).toBeLessThan(ids.indexOf('cutover.stop-legacy.emea'))
    expect(ids.indexOf('cutover.backup-target.emea')).toBe(ids.indexOf('cutover.import.emea') - 2)
    // Each source but the last has its mappings applied, with Persistent Chat started, before the
    // next import (which overwrites same-named items); the services stop again before it.
    const at = (id: string) => {
      expect(ids, id).toContain(id)
      return ids.indexOf(id)
    }
    expect(at('cutover.filestore.hq')).toBeLessThan(at('cutover.start-target.hq'))
    expect(at('cutover.start-target.hq')).toBe(at('cutover.mappings.hq') - 1)
    expect(at('cutover.mappings.hq')).toBeLessThan(at('cutover.stop-legacy.emea'))
    expect(at('cutover.stop-target.emea')).toBe(at('cutover.backup-target.emea') - 1)
    expect(at('cutover.import.emea')).toBeLessThan(at('cutover.start-target'))
    expect(at('cutover.start-target')).toBe(at('cutover.mappings') - 1)
    expect(at('cutover.mappings')).toBe(at('cutover.verify') - 1)
    expect(ids.filter((id) => id.startsWith('cutover.stop-target'))).toEqual(['cutover.stop-target', 'cutover.stop-target.emea'])
    expect(ids.filter((id) => id.startsWith('cutover.mappings'))).toEqual(['cutover.mappings.hq', 'cutover.mappings'])
    // Only hq has a file store to copy.
    expect(ids).toContain('cutover.filestore.hq')
    expect(ids).not.toContain('cutover.filestore.emea')
  })

  it('gives each mappings step the rules and the frozen inventory of its own source only', () => {
    const steps = compiled(load('plans/fabrikam-ocs2007r2.yaml'))
    const input = (id: string) => steps.find((s) => s.id === id)?.input as { sources: string[]; inventorySteps: string[]; rules: { categories: { source: string }[]; map: { source: string }[] } } | undefined
    for (const [id, source] of [['cutover.mappings.hq', 'hq'], ['cutover.mappings', 'emea']] as const) {
      const i = input(id)
      expect(i?.sources).toEqual([source])
      expect(i?.inventorySteps).toEqual([`cutover.inventory.${source}`])
      expect([...(i?.rules.categories ?? []), ...(i?.rules.map ?? [])].every((r) => r.source === source)).toBe(true)
      expect(i?.rules.map.length).toBeGreaterThan(0)
    }
  })

  it('emits only registered step kinds, each with a phase and a title', () => {
    for (const file of ['plans/contoso-lync2010.yaml', 'plans/fabrikam-ocs2007r2.yaml', 'plans/lab.yaml']) {
      for (const s of compiled(load(file))) {
        expect(kindNamed(s.kind), `${s.id} has kind ${s.kind}`).toBeDefined()
        expect(s.title.length).toBeGreaterThan(5)
      }
    }
  })

  it('is pure: the same plan gives the same steps and fingerprints; a changed input changes only its steps', () => {
    const a = compiled(load('plans/lab.yaml'))
    const b = compiled(load('plans/lab.yaml'))
    expect(b).toEqual(a)
    const c = compiled(load('plans/lab.yaml', (t) => t.replace('cutoff: 2019-01-01', 'cutoff: 2020-01-01')))
    const changed = c.filter((s, i) => s.fingerprint !== a[i]?.fingerprint).map((s): string => s.id)
    expect(changed).toEqual(['preflight.inventory.gc2010', 'cutover.inventory.gc2010', 'cutover.export.gc2010'])
  })

  it('keeps secrets as ${env:NAME} in step inputs, never resolved values', () => {
    process.env.GC_SQL = 'Server=sql01;Password=hunter2'
    const steps = compiled(load('plans/contoso-lync2010.yaml'))
    expect(JSON.stringify(steps)).not.toContain('hunter2')
  })

  it('passes the cutoff as -StartDate and the left-out categories to the export', () => {
    const exp = compiled(load('plans/contoso-lync2010.yaml')).find((s) => s.id === 'cutover.export.gc2010')
    expect(exp?.input).toMatchObject({ startDate: '2019-01-01T05:00:00Z', excludeCategories: [['Archive']], dbInstance: 'sql01.contoso.com\\GC', dbName: 'GroupChat', file: 'D:\\cutover\\export-gc2010.zip' })
  })

  it('orders the steps of every example plan exactly as before the kinds moved to their modules', () => {
    // test/unit/fixtures/compiled-ids.json: the ids the one-function compile produced, captured
    // before the port; states on disk name steps by these ids, in this order.
    const before = JSON.parse(readFileSync(join(ROOT, 'test/unit/fixtures/compiled-ids.json'), 'utf8')) as Record<string, string[]>
    expect(Object.keys(before).length).toBeGreaterThanOrEqual(10)
    for (const [file, ids] of Object.entries(before)) expect(compiled(load(file)).map((s): string => s.id), file).toEqual(ids)
  })
})
