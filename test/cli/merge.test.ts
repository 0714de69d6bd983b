import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { flattenedName, nameKey } from '../../runner/plan/names.js'
import type { VerificationFile } from '../../runner/sql/verification.js'
import { ROOT, runCli } from '../helpers/cli.js'
import { dumpStore } from '../helpers/case-files.js'
import type { StatusJson } from '../helpers/case-files.js'

/**
 * Two legacy pools merged into one Persistent Chat pool, on the lab emulator through the built
 * CLI: `lab init --legacy-pools 2` makes the second pool, whose names overlap the first's, and
 * test/plans/lab-merge.yaml renames the first pool's overlapping items. Each source's mappings run
 * after its import with Persistent Chat started, before the next import overwrites same-named
 * items: the run ends verified with every legacy room there, the first pool's beside the second's.
 */

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

type Node = { nodeID: number; parentID: number; nodeType: number; nodeName: string; disabled: number }

/** The legacy rooms the plan migrates, by the name they should end with in Persistent Chat. */
function migratedRooms(file: string, renames: Readonly<Record<string, string>>, leftOut: (path: readonly string[]) => boolean): string[] {
  const nodes = dumpStore(file).tblNode as Node[]
  const byId = new Map(nodes.map((n) => [n.nodeID, n]))
  const path = (n: Node): string[] => (n.parentID === n.nodeID || n.nodeID === 1 ? [] : [...path(byId.get(n.parentID) ?? n), n.nodeName].filter((x) => x !== 'Root'))
  return nodes.filter((n) => n.nodeType === 0 && n.disabled === 0).map(path).filter((p) => !leftOut(p)).map((p) => renames[p.join('/')] ?? flattenedName(p))
}

describe('merging two legacy pools into one (lab emulator, child process)', () => {
  it('lab init --legacy-pools 2, then apply: every step done, verified, every legacy room of both pools present', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-merge-'))
    dirs.push(dir)
    copyFileSync(join(ROOT, 'test', 'plans', 'lab-merge.yaml'), join(dir, 'plan.yaml'))
    const env = { CUTOVER_LAB_FAULTS: '', CUTOVER_CLOCK: '', CUTOVER_CRASH_AT: '' }
    const init = await runCli(['lab', 'init', '--dir', '.cutover/lab-merge', '--legacy-pools', '2', '--rooms', '16', '--messages', '3000', '--yes'], { cwd: dir, env })
    expect(init.stderr).toBe('')
    expect(init.stdout).toMatch(/a second legacy pool: 4 categories, 9 rooms, 750 messages/)

    const preview = await runCli(['plan', 'plan.yaml'], { cwd: dir, env })
    expect(preview.code).toBe(0)
    expect(preview.stdout).toMatch(/\[pending\] cutover\.mappings\.gc2010 \(cutover\) +Apply the room and category mappings of gc2010 before emea is imported/)

    const r = await runCli(['apply', 'plan.yaml', '--yes'], { cwd: dir, env })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)

    const status = await runCli(['status', 'plan.yaml', '--json'], { cwd: dir, env })
    const steps = (JSON.parse(status.stdout) as StatusJson).steps
    for (const s of steps) expect({ id: s.id, status: s.status }).toEqual({ id: s.id, status: 'done' })
    const ids = steps.map((s) => s.id).filter((id) => id.startsWith('cutover.'))
    expect(ids.slice(ids.indexOf('cutover.import.gc2010'))).toEqual([
      'cutover.import.gc2010', 'cutover.filestore.gc2010', 'cutover.start-target.gc2010', 'cutover.mappings.gc2010',
      'cutover.stop-legacy.emea', 'cutover.backup-legacy.emea', 'cutover.inventory.emea', 'cutover.export.emea', 'cutover.stop-target.emea',
      'cutover.backup-target.emea', 'cutover.import-whatif.emea', 'cutover.import.emea', 'cutover.filestore.emea',
      'cutover.lookup-account', 'cutover.lookup-account.emea', 'cutover.endpoint', 'cutover.start-target', 'cutover.mappings', 'cutover.verify',
    ])

    const labDir = join(dir, '.cutover', 'lab-merge')
    const verified = JSON.parse(readFileSync(join(labDir, 'verify', 'cutover.verify.json'), 'utf8')) as VerificationFile
    expect(verified.differences).toEqual([])
    // Every room of both legacy stores the plan migrates is in Persistent Chat with its messages.
    const hq = migratedRooms(join(labDir, 'legacy.sqlite'), { 'Engineering/Build/Release train': 'release-train', 'Engineering/Code review ‘daily’': 'Code review ‘daily’ HQ' }, (p) => p[0] === 'Archive' || p.join('/') === 'Sales/Pipeline review')
    const emea = migratedRooms(join(labDir, 'legacy2.sqlite'), { 'Engineering/Build/Release train': 'release-train-emea' }, () => false)
    expect(emea).toHaveLength(8)
    const target = (dumpStore(join(labDir, 'pchat.sqlite')).tblNode as Node[]).filter((n) => n.nodeType === 0).map((n) => nameKey(n.nodeName)).sort()
    expect(target).toEqual([...hq, ...emea].map(nameKey).sort())
    expect(verified.rooms.filter((x) => x.source === 'emea')).toHaveLength(emea.length)
    for (const row of verified.rooms) expect(row.messages, row.legacy).toBe(row.legacyMessages)
    // The same legacy room of each pool, side by side.
    expect(target).toEqual(expect.arrayContaining([nameKey('Code review ‘daily’ HQ'), nameKey('Engineering Code review ‘daily’'), nameKey('release-train'), nameKey('release-train-emea')]))
    const categories = (dumpStore(join(labDir, 'pchat.sqlite')).tblNode as Node[]).filter((n) => n.nodeType === 1).map((n) => n.nodeName)
    expect(categories).toEqual(expect.arrayContaining(['Engineering HQ', 'Engineering', 'Sales HQ', 'Sales', 'EMEA Offices', 'Build and Release', 'Engineering Build']))
  })
})
