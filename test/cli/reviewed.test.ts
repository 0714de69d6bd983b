/**
 * `cutover apply --reviewed FILE` on the lab emulator (child process): the reviewed plan is what
 * runs. Refused after a changed plan, a changed template (a copy of cutover with one template
 * edited: the templates are the package's own) and a changed inventory; runs to done when
 * nothing changed. How the scripts a template renders differ is proved in-process
 * (test/unit/reviewed-plan.test.ts).
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { appendFileSync, copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { cutover, filesOf, newCase, readJournal, snapshot, statusJson } from '../helpers/case-files.js'
import { ROOT } from '../helpers/cli.js'

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

describe('cutover apply --reviewed (child process)', () => {
  it('runs to done when nothing changed: the journal and the report name the reviewed plan it matched', async () => {
    const c = await newCase()
    const planned = await cutover(c, ['plan', 'plan.yaml', '--inventory', '--format', 'json', '--out', 'reviewed.json'])
    expect(planned.code).toBe(0)
    expect(planned.stderr).toContain('cutover: preview written to reviewed.json (a reviewed plan: cutover apply plan.yaml --reviewed reviewed.json runs exactly this)')
    const sha = sha256(join(c.dir, 'reviewed.json'))

    const r = await cutover(c, ['apply', 'plan.yaml', '--yes', '--reviewed', 'reviewed.json'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`cutover: every step matched the reviewed plan reviewed.json (sha256 ${sha.slice(0, 12)})`)
    expect((await statusJson(c)).steps.every((s) => s.status === 'done')).toBe(true)
    const start = readJournal(c).find((e) => e.event === 'apply-start')
    expect(start?.detail?.reviewed).toEqual({ file: 'reviewed.json', sha256: sha })
    expect(readFileSync(filesOf(c).report, 'utf8')).toContain(`**Reviewed plan:** the apply matched the reviewed plan **${sha.slice(0, 12)}** (reviewed.json, sha256 ${sha}).`)
  })

  it('refuses a changed plan, and a file that is not a reviewed plan, before anything runs: one line each, no state, no lock', async () => {
    const c = await newCase()
    expect((await cutover(c, ['plan', 'plan.yaml', '--inventory', '--format', 'json', '--out', 'reviewed.json'])).code).toBe(0)
    writeFileSync(c.planFile, readFileSync(c.planFile, 'utf8').replace('displayName: Persistent Chat (lab)', 'displayName: Persistent Chat (changed)'))
    writeFileSync(join(c.dir, 'preview.md'), '<!-- cutover plan: lab -->\n# not JSON\n')
    const before = snapshot(c)

    const changed = await cutover(c, ['apply', 'plan.yaml', '--yes', '--reviewed', 'reviewed.json'])
    expect(changed.code).toBe(1)
    const lines = changed.stderr.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^cutover: error: this run would differ from the reviewed plan reviewed\.json \(sha256 [0-9a-f]{12}\); nothing was run:$/)
    expect(lines.slice(1, -1)).toEqual([
      expect.stringMatching(/^ {2}plan file: its bytes differ from the reviewed plan\.yaml \(sha256 [0-9a-f]{12} now, [0-9a-f]{12} reviewed\)$/),
      expect.stringMatching(/^ {2}cutover\.endpoint: its fingerprint is [0-9a-f]{16} now, [0-9a-f]{16} reviewed \(its inputs from the plan changed\)$/),
    ])

    const notReviewed = await cutover(c, ['apply', 'plan.yaml', '--yes', '--reviewed', 'preview.md'])
    expect(notReviewed.code).toBe(1)
    expect(notReviewed.stderr).toMatch(/^cutover: error: --reviewed preview\.md is not a reviewed plan of plan\.yaml: it is not JSON \([^\n]*\); nothing was run \(write one with cutover plan plan\.yaml --inventory --format json --out FILE\)\n$/)
    expect(snapshot(c)).toEqual(before)
    expect(before.state).toBeUndefined()
  })

  it('refuses scripts from other templates before anything runs: a copy of cutover with one template edited', async () => {
    const c = await newCase()
    expect((await cutover(c, ['plan', 'plan.yaml', '--inventory', '--format', 'json', '--out', 'reviewed.json'])).code).toBe(0)
    const pkg = mkdtempSync(join(tmpdir(), 'cutover-pkg-'))
    try {
      for (const dir of ['dist', 'templates', 'bin']) cpSync(join(ROOT, dir), join(pkg, dir), { recursive: true })
      for (const file of ['package.json', 'migration.schema.json']) copyFileSync(join(ROOT, file), join(pkg, file))
      symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'))
      appendFileSync(join(pkg, 'templates', 'export.ps1.hbs'), '{{!-- edited after the review --}}\n')
      const before = snapshot(c)
      const r = spawnSync(process.execPath, [join(pkg, 'bin', 'cutover.js'), 'apply', 'plan.yaml', '--yes', '--reviewed', 'reviewed.json'], { cwd: c.dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CUTOVER_LAB_FAULTS: '', CUTOVER_CLOCK: '', CUTOVER_CRASH_AT: '' } })
      expect(r.status).toBe(1)
      expect(r.stderr.split('\n').slice(1, -2)).toEqual([expect.stringMatching(/^ {2}templates: their digest is [0-9a-f]{12} here, [0-9a-f]{12} in the reviewed plan: the scripts were rendered by other templates$/)])
      expect(snapshot(c)).toEqual(before)
    } finally {
      rmSync(pkg, { recursive: true, force: true })
    }
  })

  it('refuses a changed inventory once apply has read it, before anything that changes the deployment; re-planned and reviewed again, it resumes to done', async () => {
    const c = await newCase()
    expect((await cutover(c, ['plan', 'plan.yaml', '--inventory', '--format', 'json', '--out', 'reviewed.json'])).code).toBe(0)
    // Someone adds a category in Group Chat between the review and the night: the export's
    // -Scope (every category but the left-out Archive) now names it too.
    const db = new Database(join(c.labDir, 'legacy.sqlite'))
    db.prepare("INSERT INTO tblNode (nodeID, nodeGuid, parentID, nodeType, nodeName) VALUES (9001, 'c0ffee00-0000-4000-8000-000000009001', 1, 1, 'Marketing')").run()
    db.close()

    const r = await cutover(c, ['apply', 'plan.yaml', '--yes', '--reviewed', 'reviewed.json'])
    expect(r.code).toBe(1)
    const errors = r.stderr.trimEnd().split('\n')
    expect(errors[0]).toMatch(/^cutover: error: the rest of the run would differ from the reviewed plan reviewed\.json \(sha256 [0-9a-f]{12}\); stopped before preflight\.readiness, which was not started:$/)
    expect(errors[1]).toMatch(/^ {2}cutover\.export\.gc2010: what it would run differs from the reviewed plan at line \d+: reviewed "[^"]*'Legal'\) -Report[^"]*", now "[^"]*'Legal', 'Marketing'\) -Report[^"]*" \[the inventory of gc2010: now preflight\.inventory\.gc2010 \([0-9a-f]{12}\), reviewed plan --inventory \([0-9a-f]{12}\)\]$/)
    const status = await statusJson(c)
    expect(status.lock).toBeNull()
    expect(status.steps.filter((s) => s.status !== 'pending').map((s) => s.id)).toEqual(['preflight.inventory.gc2010'])
    expect(readJournal(c).filter((e) => e.event === 'reviewed-refused').map((e) => e.step)).toEqual(['preflight.readiness'])

    // The operator re-plans from what the run read, has it reviewed, and applies that one.
    expect((await cutover(c, ['plan', 'plan.yaml', '--format', 'json', '--out', 'reviewed-2.json'])).code).toBe(0)
    const again = await cutover(c, ['apply', 'plan.yaml', '--yes', '--reviewed', 'reviewed-2.json'])
    expect(again.stderr).toBe('')
    expect(again.code).toBe(0)
    const report = readFileSync(filesOf(c).report, 'utf8')
    expect(report).toMatch(/stopped before preflight\.readiness: what was left to run differed from the reviewed plan \*\*[0-9a-f]{12}\*\* \(reviewed\.json,/)
    expect(report).toMatch(/matched the reviewed plan \*\*[0-9a-f]{12}\*\* \(reviewed-2\.json,/)
  })
})
