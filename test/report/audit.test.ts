/**
 * The report an auditor reads (issue 15, item 4), from a real lab run that is rolled back and
 * applied again (child process): what stayed behind, each warning once with its steps, both
 * downtimes, attempts not reset by the rollback, local times beside UTC, cutover's version and
 * the operator, and the lab clock named as such.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT, runCli } from '../helpers/cli.js'
import { labCase } from '../helpers/lab.js'
import { markdownCell } from '../../runner/report/markdown.js'
import type { Report } from '../../runner/report/model.js'
import { LAB_NAMES } from '../../runner/lab/lab-names.js'
import { labOlderMessages } from '../lab/fixture.js'

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version

describe('the report after a rollback and a re-apply (lab)', () => {
  it('tells an auditor what stayed behind, each warning once, every downtime and attempt, in the zone and in UTC, by whom and with which version', async () => {
    const c = await labCase()
    expect((await runCli(['apply', c.planFile, '--yes', '--quiet', '--until', 'cutover.verify'], { cwd: c.dir })).code).toBe(3)
    expect((await runCli(['rollback', c.planFile, '--yes'], { cwd: c.dir })).code).toBe(0)
    expect((await runCli(['apply', c.planFile, '--yes', '--quiet'], { cwd: c.dir })).code).toBe(0)
    const r = await runCli(['report', c.planFile, '--format', 'json'], { cwd: c.dir })
    expect(r.code, r.stderr).toBe(0)
    const report = JSON.parse(r.stdout) as Report
    const md = readFileSync(join(c.labDir, 'report.md'), 'utf8')

    // Header: the version, the operator, and the lab clock named as such.
    expect(report.cutoverVersion).toBe(VERSION)
    expect(report.operators).toHaveLength(1)
    expect(md).toContain(`**Written by:** cutover ${VERSION}; run by **${report.operators[0] ?? ''}**.`)
    expect(report.clock).toBe('lab')
    expect(md).toContain("> Times are the lab emulator's clock, which starts at the opening of the downtime window: not the wall clock.")

    // Attempts are not reset by the rollback: the cutover steps started twice, the preflight once.
    const attempts = (id: string) => report.steps.find((s) => s.id === id)?.attempts
    expect(attempts('cutover.stop-legacy.gc2010')).toBe(2)
    expect(attempts('cutover.import.gc2010')).toBe(2)
    expect(attempts('preflight.inventory.gc2010')).toBe(1)
    // Two downtimes: the first completed, then rolled back; the second completed.
    expect(report.downtimes.map((d) => [d.outcome, d.rolledBackAt !== undefined])).toEqual([['completed', true], ['completed', false]])
    expect(md).toMatch(/\*\*Downtime taken:\*\* 2 times, .+ in all/)
    expect(md).toMatch(/^1\. .+: legacy services stopped 2026-12-05 22:\d\d:\d\d \(2026-12-06T03:\d\d:\d\d\.\d{3}Z\), Persistent Chat started .+; rolled back afterwards .+$/m)
    expect(md).toMatch(/^2\. .+: legacy services stopped .+, Persistent Chat started [^;]+$/m)

    // Local times beside UTC, in the steps table and the journal's decisions.
    expect(md).toContain('| step | status | attempts | started (America/New\\_York) | started (UTC) | took |')
    expect(md).toMatch(/^\| `cutover\.import\.gc2010` .+ \| done \| 2 \| 2026-12-05 22:00:\d\d \| 2026-12-06T03:00:\d\d\.\d{3}Z \|/m)
    expect(md).toMatch(/^\| 2026-12-05 22:00:\d\d \| 2026-12-06T03:00:\d\d\.\d{3}Z \| .+ \| rollback-start \|/m)

    // Each warning once, with the steps that saw it: Import -WhatIf and Import say the same.
    expect(report.warnings.length).toBeGreaterThan(report.warningsOnce.length)
    const fromImport = report.warningsOnce.filter((w) => w.steps.includes('cutover.import.gc2010'))
    expect(fromImport.length).toBeGreaterThan(5)
    for (const w of fromImport) expect(w.steps).toEqual(['cutover.import-whatif.gc2010', 'cutover.import.gc2010'])
    const section = md.slice(md.indexOf('## Warnings'), md.indexOf('## Decisions'))
    const listed = section.split('\n').filter((l) => l.startsWith('- '))
    expect(listed).toHaveLength(report.warningsOnce.length)
    for (const w of report.warningsOnce) expect(listed.filter((l) => l.startsWith(`- ${markdownCell(w.message)} (`)), w.message).toHaveLength(1)

    // What stayed behind (plans/lab.yaml: cutoff, Archive left out, a disabled room, a skipped
    // room, a room disabled by the plan), with counts and names.
    const b = report.stayedBehind
    expect(b.cutoff).toBe('2019-01-01')
    expect(b.leftOut.map((x) => x.path.join('/'))).toEqual(['Archive'])
    expect(b.leftOut[0]?.rooms.length).toBe(2)
    expect(b.disabled.map((x) => x.path.at(-1))).toEqual(['Decommissioned ‘old’ room'])
    expect(b.skipped.map((x) => x.path.join('/'))).toEqual(['Sales/Pipeline review'])
    expect(b.disabledAfter.map((x) => x.path.join('/'))).toEqual(['東京 オフィス/東京 週次ミーティング'])
    const behind = md.slice(md.indexOf('## What stayed behind'), md.indexOf('## Warnings'))
    // The messages older than the cutoff (00:00 of 2019-01-01 in America/New_York) in the rooms
    // exported, room by room, exactly as the lab's legacy store holds them.
    const older = labOlderMessages(join(c.labDir, LAB_NAMES.legacyStoreFile), '2019-01-01T05:00:00Z')
    const total = [...older.values()].reduce((a, n) => a + n, 0)
    expect(older.size).toBeGreaterThan(1)
    expect(new Map(b.olderMessages?.rooms.map((x) => [x.path.join('/'), x.messages]))).toEqual(older)
    expect(b.olderMessages?.rooms.every((x) => x.source === 'gc2010')).toBe(true)
    expect(b.olderMessages?.messages).toBe(total)
    // The verification's count of older messages says the same.
    expect(report.verification?.content).toMatchObject({ kind: 'since-cutoff', olderMessages: total })
    const [first, count] = [...older][0] ?? ['', 0]
    expect(behind).toContain(`**Messages older than 2019-01-01**: ${total.toLocaleString('en-US')} messages in ${older.size} rooms, not exported (Export -StartDate): ${markdownCell(`'${first}' (gc2010: ${count.toLocaleString('en-US')})`)}, `)
    expect(behind).toMatch(/\*\*Category 'Archive' \(gc2010\) left out of the export\*\* \(export: false\), with 2 rooms and \d+ messages: 'Archive\/Old announcements' \(gc2010\)/)
    expect(behind).toMatch(/\*\*Disabled in Group Chat, not exported\*\*: 1 room, \d+ messages?: .+Decommissioned ‘old’ room' \(gc2010\)/)
    expect(behind).toContain("**Skipped (imported, then removed)**: 1 room, 0 messages: 'Sales/Pipeline review' (gc2010)")
    expect(behind).toMatch(/\*\*Migrated, then disabled by the plan\*\*: 1 room, \d+ messages?: '東京 オフィス\/東京 週次ミーティング' \(gc2010\)/)
  })
})
