import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { escapeHtml } from '../../runner/report/html-escape.js'
import { reportHtml } from '../../runner/report/html.js'
import { reportMarkdown } from '../../runner/report/markdown.js'
import type { Report } from '../../runner/report/model.js'
import type { VerificationFile } from '../../runner/sql/verification.js'
import { decodeHtml, htmlOutline } from './html-outline.js'

const HOSTILE_ROOM = `O'Brien’s <#"Team"#> & Co (Ελληνικά edition)`
const HOSTILE_ERROR = `room '<img src=x onerror=alert(1)>' & "more"`

const verification: VerificationFile = {
  expected: { categories: 1, rooms: 2, messages: 30 },
  actual: { categories: 1, rooms: 2, messages: 25 } as VerificationFile['actual'],
  differences: [
    { kind: 'messages', name: HOSTILE_ROOM, expected: 20, actual: 15 },
    { kind: 'roles', name: `${HOSTILE_ROOM} (Member)`, expected: 3, actual: 2 },
    { kind: 'unexpected-room', name: 'Stray <room>', expected: 'absent', actual: 'present' },
  ],
  rooms: [
    { source: 'gc2010', legacy: `Ops $(Get-Date)/${HOSTILE_ROOM}`, room: HOSTILE_ROOM, category: 'Ops', legacyMessages: 20, messages: 15, legacyRoles: { Manager: 1, Member: 3 }, roles: { Manager: 1, Member: 2 } },
    { source: 'gc2010', legacy: 'Ops/Fine', room: 'Fine', category: 'Ops', legacyMessages: 10, messages: 10, legacyRoles: { Member: 1 }, roles: { Member: 1 } },
  ],
}

function report(over: Partial<Report> = {}): Report {
  return {
    formatVersion: 1, plan: 'lab', lab: true, cutoverVersion: '0.1.0', operators: ['root@vm'], clock: 'lab', generatedAt: '2026-12-06T04:00:05.000Z',
    downtimes: [{ startUtc: '2026-12-06T04:00:01.000Z', endUtc: '2026-12-06T04:00:03.000Z', durationMs: 2000, outcome: 'completed' }],
    stayedBehind: { unknownSources: [], leftOut: [], disabled: [], skipped: [], disabledAfter: [] },
    window: { timezone: 'America/New_York', startLocal: '2026-12-05 22:00', endLocal: '2026-12-06 06:00', startUtc: '2026-12-06T03:00:00.000Z', endUtc: '2026-12-06T11:00:00.000Z', margin: '30m' },
    downtime: { startUtc: '2026-12-06T04:00:01.000Z', endUtc: '2026-12-06T04:00:03.000Z', durationMs: 2000, insideWindow: true },
    steps: [
      { id: 'cutover.stop-legacy.gc2010', phase: 'cutover', title: 'Stop <script>alert("x")</script>', status: 'done', attempts: 1, startedAt: '2026-12-06T04:00:01.000Z', endedAt: '2026-12-06T04:00:02.000Z', durationMs: 1000, approvedBy: 'Zoë <admin>' },
      { id: 'cutover.verify', phase: 'cutover', title: 'Verify', status: 'failed', attempts: 2, startedAt: '2026-12-06T04:00:02.000Z', endedAt: '2026-12-06T04:00:03.000Z', durationMs: 1000, error: `${HOSTILE_ERROR}\u0007` },
      { id: 'post.report', phase: 'post', title: 'Write the run report', status: 'pending', attempts: 0 },
    ],
    verification,
    warnings: [{ step: 'preflight.lint', message: '<b>bold</b> & `tick`' }],
    warningsOnce: [{ message: '<b>bold</b> & `tick`', steps: ['preflight.lint'] }],
    decisions: [{ at: '2026-12-06T04:00:00.500Z', who: 'root', host: 'vm', pid: 1, event: 'lock-taken-over', detail: { staleHost: 'vm', stalePid: 2, note: '"><script>x</script>' } }],
    reviewed: [{ at: '2026-12-06T04:00:00.000Z', by: 'root@vm', outcome: 'matched', file: '<img src=x onerror=alert(1)>.json', sha256: 'ab'.repeat(32) }],
    ...over,
  }
}

describe('reportHtml', () => {
  it('escapes every value from the records: no markup, script or source survives from them', () => {
    const page = reportHtml(report())
    expect(page).not.toMatch(/<script|<img|<b>|onerror=alert\(1\)>/i)
    expect(page).not.toMatch(/<[^>]*\s(src|href)=/)
    for (const raw of [HOSTILE_ROOM, 'Stop <script>alert("x")</script>', 'Zoë <admin>', '<b>bold</b> & `tick`']) expect(page).toContain(escapeHtml(raw))
    // A control character cannot be written in HTML; it is shown as U+FFFD, not dropped silently.
    expect(page).toContain(`${escapeHtml(HOSTILE_ERROR)}\uFFFD`)
    expect(page).not.toContain('\u0007')
  })

  it('is one self-contained page: a CSP that loads nothing, naming the one inline stylesheet by its hash', () => {
    const page = reportHtml(report())
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(page)?.[1] ?? ''
    expect(csp).toMatch(/^default-src 'none'; /)
    expect(csp).toContain("img-src 'none'")
    const styles = [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? '')
    expect(styles).toHaveLength(1)
    expect(csp).toContain(`style-src 'sha256-${createHash('sha256').update(styles[0] ?? '').digest('base64')}'`)
    expect(page).not.toMatch(/ style="/) // an inline style attribute would be refused by that CSP
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true)
    expect(page).toContain('<meta charset="utf-8">')
  })

  it('highlights the rooms that differ with the reason, also a room whose name ends in parentheses', () => {
    const outline = htmlOutline(reportHtml(report()))
    const rows = outline.split('\n').filter((l) => l.startsWith('[tr.'))
    expect(rows).toHaveLength(2)
    expect(rows[0]).toBe(`[tr.diff] | ${HOSTILE_ROOM} | Ops $(Get-Date)/${HOSTILE_ROOM} (gc2010) | Ops | 20 | !15 | Manager 1, Member 3 | !Manager 1, Member 2 | 15 messages in Persistent Chat, 20 expected Member: 2 holder(s) in Persistent Chat, 3 expected`)
    expect(rows[1]).toBe('[tr.same] | Fine | Ops/Fine (gc2010) | Ops | 10 | 10 | Member 1 | Member 1 | same')
    expect(outline).toContain('unexpected-room: Stray <room> (expected absent, found present)')
    // The Markdown marks the same room: its ❌ used to be lost when a name ended in parentheses.
    const md = reportMarkdown(report())
    // Markdown writes the name with HTML entities, so no viewer renders it as markup.
    expect(md).toContain(`| ❌ ${HOSTILE_ROOM.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')} |`)
    expect(md).not.toContain(HOSTILE_ROOM)
    expect(md).toContain('| Fine |')
  })

  it('says the same things as the Markdown: outcome, window, downtime, lab banner', () => {
    const text = decodeHtml(reportHtml(report()).replace(/<[^>]+>/g, ''))
    // The control character in the error: Markdown keeps it, HTML cannot (see above).
    // What a Markdown viewer shows: emphasis markers gone, backslash escapes and entities read.
    const md = decodeHtml(reportMarkdown(report()).replace(/\*\*/g, '').replace(/\\([\\`*_[\]|])/g, '$1').replaceAll('\u0007', '\uFFFD'))
    for (const label of ['Outcome:', 'Downtime window:', 'Downtime taken:']) {
      const sentence = md.split('\n').find((l) => l.startsWith(label))?.slice(label.length).trim() ?? '(none)'
      expect(text.replace(/\s+/g, ' ')).toContain(sentence.replace(/\s+/g, ' '))
    }
    expect(text).toContain('This run used the embedded lab emulator, not a Lync deployment.')
    expect(reportHtml(report({ lab: false }))).not.toContain('class="lab-banner"')
  })

  it('marks a downtime outside the window, and says when there was none yet', () => {
    const outside = reportHtml(report({ downtime: { startUtc: '2026-12-06T10:50:00.000Z', endUtc: '2026-12-06T11:20:00.000Z', durationMs: 1_800_000, insideWindow: false } }))
    expect(outside).toContain('<dd class="outside">')
    expect(outside).toContain('<strong>outside the window</strong>')
    expect(outside).toContain('class="downtime outside-window"')
    const none = htmlOutline(reportHtml(report({ downtime: undefined, steps: [], verification: undefined })))
    expect(none).toContain('Taken')
    expect(none).toContain('not yet: the legacy services have not been stopped')
    expect(none).toContain('No cutover step has run yet.')
  })
})
