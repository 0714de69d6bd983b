/**
 * The preview as a reviewer reads it (issue 15, item 1): a pull-request comment under 60,000
 * characters for every example plan and for the plan init writes for a 1,000-room lab, with a
 * table of what happens to rooms and categories and the scripts' frame shown once; a compact
 * text with --scripts for every script whole.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createLab } from '../../runner/lab/index.js'
import { COMMENT_LIMIT } from '../../runner/cli/format/preview-markdown.js'
import { runCli } from '../helpers/cli.js'
import { labCase } from '../helpers/lab.js'
import { LAB_NAMES } from '../../runner/lab/lab-names.js'
import { labOlderMessages } from '../lab/fixture.js'
import { CLOCK, EXAMPLES, preview, previewJson, scriptParts, scriptsOf } from './previews.js'

/** The step ids the "What each step runs" part names, in order. */
const runsOf = (md: string): string[] => [...md.slice(md.indexOf('### What each step runs')).matchAll(/<code>([^<]+)<\/code>:/g)].map((m) => m[1] ?? '')

describe('the Markdown preview fits a pull-request comment', () => {
  it('each example plan: under 60,000 characters, the frame once, every step\'s commands shown', async () => {
    expect(COMMENT_LIMIT).toBe(60_000)
    for (const file of EXAMPLES) {
      const md = await preview(file, 'markdown')
      expect(md.length, file).toBeLessThan(COMMENT_LIMIT)
      expect(md.split('\n')[0]).toMatch(/^<!-- cutover plan: [a-z0-9-]+ -->$/)
      const scripts = scriptsOf(await previewJson(file))
      const { preamble, epilogue } = scriptParts(scripts[0]?.script ?? '')
      expect(md.split(preamble).length - 1, `${file}: the preamble once`).toBe(1)
      expect(md.split(epilogue.trimEnd()).length - 1, `${file}: the result line once`).toBe(1)
      // Every step that runs PowerShell shows its own commands, in full.
      for (const { step, script } of scripts) {
        expect(runsOf(md), file).toContain(step)
        expect(md, `${file} ${step}`).toContain(scriptParts(script).body)
      }
    }
  })

  it('the plan init writes for a 1,000-room lab: under 60,000 characters', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-review-'))
    await createLab({ dir: join(dir, 'lab'), rooms: 1000, messages: 20_000, seed: 1 })
    const init = await runCli(['init', '--source', 'lab:lab', '--out', 'plan.yaml'], { cwd: dir, env: CLOCK })
    expect(init.code, init.stderr).toBe(0)
    const r = await runCli(['plan', 'plan.yaml', '--format', 'markdown'], { cwd: dir, env: CLOCK })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout.length).toBeLessThan(COMMENT_LIMIT)
    // The rooms init marks action: skip are in the table, each once.
    expect(r.stdout.match(/\| skipped: imported, then removed \|/g)?.length ?? 0).toBeGreaterThan(10)
  }, 60_000)
})

describe('what happens to rooms and categories, as a table', () => {
  it('renames, privacy, description, disabled, skipped and left out: one row each, from the plan', async () => {
    const fabrikam = await preview('plans/fabrikam-ocs2007r2.yaml', 'markdown')
    const table = fabrikam.slice(fabrikam.indexOf('### Rooms and categories'), fabrikam.indexOf('### Steps'))
    expect(table).toContain('Messages older than 2020-06-01 stay behind (Export -StartDate). Rooms no mapping names migrate as they are.')
    expect(table).toContain('| hq | category General | HQ General |  | renamed after the import |')
    expect(table).toContain('| emea | category General | EMEA General |  | renamed after the import |')
    expect(table).toContain('| emea | category Projects/2009 |  |  | left out of the export |')
    expect(table).toContain('| hq | room General/Announcements | HQ Announcements; description: Company-wide news | open | migrates, then changed as shown |')
    expect(table).toContain('| emea | room General/Announcements | EMEA Announcements |  | migrates, then changed as shown |')
    expect(table).toContain('| hq | room General/Help desk |  |  | migrates, then disabled |')
    const contoso = await preview('plans/contoso-lync2010.yaml', 'markdown')
    expect(contoso).toContain('| gc2010 | room Sales/Old deals |  |  | skipped: imported, then removed |')
    expect(contoso).toContain('| gc2010 | room Engineering/Build/Nightly | nightly-builds | closed | migrates, then changed as shown |')
  })

  it('with the inventory, lists the disabled rooms that stay behind, and what a left-out category keeps', async () => {
    const c = await labCase()
    const r = await runCli(['plan', c.planFile, '--inventory', '--format', 'json'], { cwd: c.dir })
    expect(r.code, r.stderr).toBe(0)
    const p = JSON.parse(r.stdout) as { rooms: { inventoryKnown: boolean; olderMessages?: { rooms: number; messages: number }; rows: { outcome: string; kind: string; rooms?: number }[] } }
    expect(p.rooms.inventoryKnown).toBe(true)
    expect(p.rooms.rows.filter((x) => x.outcome === 'stays-behind').length).toBeGreaterThan(0)
    const md = (await runCli(['plan', c.planFile, '--inventory', '--format', 'markdown'], { cwd: c.dir })).stdout
    expect(md).toMatch(/\| stays behind: disabled in Group Chat, not exported \(\d+ messages?\) \|/)
    expect(md).not.toContain('Without an inventory')
    // The messages older than the cutoff in the rooms that migrate, as the lab store holds them.
    const older = labOlderMessages(join(c.labDir, LAB_NAMES.legacyStoreFile), '2019-01-01T05:00:00Z')
    const total = [...older.values()].reduce((a, n) => a + n, 0)
    expect(older.size).toBeGreaterThan(1)
    expect(p.rooms.olderMessages).toEqual({ rooms: older.size, messages: total })
    expect(md).toContain(`Messages older than 2019-01-01 stay behind (Export -StartDate): ${total.toLocaleString('en-US')} messages in ${older.size} rooms that migrate.`)
  })
})

describe('the text preview', () => {
  it('is compact by default (each step\'s own commands, no query text); --scripts shows every script and query whole', async () => {
    const file = 'plans/contoso-lync2010.yaml'
    const scripts = scriptsOf(await previewJson(file))
    const compact = await preview(file, 'text')
    expect(compact).not.toContain('function New-CutoverResult')
    expect(compact).not.toContain('FROM tblNode')
    expect(compact).toContain('cutover plan --scripts shows them whole')
    const r = await runCli(['plan', file, '--scripts'], { cwd: join(import.meta.dirname, '..', '..'), env: CLOCK })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout.split('function New-CutoverResult').length - 1).toBe(scripts.length)
    expect(r.stdout).toContain('FROM tblNode')
    expect(compact.split('\n').length * 5).toBeLessThan(r.stdout.split('\n').length)
  })
})
