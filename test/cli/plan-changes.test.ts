import { readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { cutover, lines, newCase, readJournal, readState, snapshot, statusJson } from '../helpers/case-files.js'
import type { LabCase } from '../helpers/lab.js'
import { outputsOf } from '../../runner/state/records.js'

function edit(c: LabCase, from: string, to: string): void {
  const text = readFileSync(c.planFile, 'utf8')
  expect(text).toContain(from)
  writeFileSync(c.planFile, text.replace(from, to))
}

const ARCHIVE = '    - { source: gc2010, from: Archive, export: false }\n'
const BUILD = '    - { source: gc2010, from: Engineering/Build, to: Build and Release }'

describe('cutover apply after the plan was edited (child process)', () => {
  it('refuses (exit 1) naming the done steps whose input changed, changing nothing; --accept-changes proceeds and is journaled', async () => {
    const c = await newCase()
    const partial = await cutover(c, ['apply', 'plan.yaml', '--yes', '--quiet', '--until', 'cutover.export.gc2010'])
    expect(partial.code).toBe(3)

    // The cutoff is an input of both inventories and of the export.
    edit(c, 'cutoff: 2019-01-01', 'cutoff: 2019-02-01')
    const before = snapshot(c)
    const r = await cutover(c, ['apply', 'plan.yaml', '--yes'])
    expect(r.code).toBe(1)
    const err = lines(r.stderr)
    expect(err).toHaveLength(1)
    expect(err[0]).toBe('cutover: error: the plan changed for steps that already ran: preflight.inventory.gc2010, cutover.inventory.gc2010, cutover.export.gc2010; review the change, then run apply again with --accept-changes to keep their results')
    expect(snapshot(c)).toEqual(before)
    const status = await statusJson(c)
    expect(status.steps.filter((s) => s.changed).map((s) => s.id)).toEqual(['preflight.inventory.gc2010', 'cutover.inventory.gc2010', 'cutover.export.gc2010'])

    // A category left out of the export is an input of the export, and of the lint that checks
    // the categories left out against the inventory.
    edit(c, 'cutoff: 2019-02-01', 'cutoff: 2019-01-01')
    edit(c, ARCHIVE, '')
    const again = await cutover(c, ['apply', 'plan.yaml', '--yes'])
    expect(again.code).toBe(1)
    expect(lines(again.stderr)).toEqual([expect.stringMatching(/^cutover: error: the plan changed for steps that already ran: preflight\.lint, cutover\.export\.gc2010; /)])
    expect(snapshot(c)).toEqual(before)

    // Accepting keeps the earlier results: the export is not redone, the run goes on.
    edit(c, 'cutoff: 2019-01-01', 'cutoff: 2019-02-01')
    const exportBefore = readState(c).steps['cutover.export.gc2010']
    const accepted = await cutover(c, ['apply', 'plan.yaml', '--yes', '--quiet', '--accept-changes', '--until', 'cutover.stop-target'])
    expect(accepted.stderr).toBe('')
    expect(accepted.code).toBe(3)
    const journal = readJournal(c)
    const entry = journal.find((e) => e.event === 'accept-changes')
    expect(entry?.detail).toEqual({ steps: ['preflight.inventory.gc2010', 'preflight.lint', 'cutover.inventory.gc2010', 'cutover.export.gc2010'] })
    expect(journal.filter((e) => e.event === 'step-start' && e.step === 'cutover.export.gc2010')).toHaveLength(1)
    const state = readState(c)
    expect(outputsOf(state.steps['cutover.export.gc2010'])).toEqual(outputsOf(exportBefore))
    expect(state.steps['cutover.stop-target']?.status).toBe('done')
    expect((await statusJson(c)).steps.filter((s) => s.changed)).toEqual([])
  })

  it('accepts silently an edit that only changes steps that have not run yet', async () => {
    const c = await newCase()
    expect((await cutover(c, ['apply', 'plan.yaml', '--yes', '--quiet', '--until', 'cutover.export.gc2010'])).code).toBe(3)
    // The target category name is an input of the mappings and verify steps only (not of the lint).
    edit(c, BUILD, '    - { source: gc2010, from: Engineering/Build, to: Build and Release Team }')
    const r = await cutover(c, ['apply', 'plan.yaml', '--yes', '--quiet'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(readJournal(c).some((e) => e.event === 'accept-changes')).toBe(false)
    const status = await statusJson(c)
    expect(status.steps.every((s) => s.status === 'done' && !s.changed)).toBe(true)
    expect(outputsOf(readState(c).steps['cutover.verify'])).toMatchObject({ differences: 0 })
  })
})
