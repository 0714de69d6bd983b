import { createHash } from 'node:crypto'
import { formatElapsed } from '../core/time.js'
import type { JsonValue } from '../core/json.js'
import type { Difference } from '../sql/verification.js'
import { escapeHtml as esc } from './html-escape.js'
import { REPORT_CSS } from './html-style.js'
import { timelineHtml } from './html-timeline.js'
import type { Report } from './model.js'
import { attemptSentence, clockNote, decisionWhat, downtimesSentence, labBanner, localTime, otherDifference, outcomeSentence, outcomeState, planVersionSentence, reviewedSentences, stayedBehindLines, verificationSummary, windowSentence, writtenBySentence } from './phrases.js'
import type { Markup } from './phrases.js'
import { otherDifferences, roomChecks } from './verification-rows.js'
import type { RoomCheck } from './verification-rows.js'

const html: Markup = { text: esc, strong: (t) => `<strong>${t}</strong>` }

/** Nothing may load: no script, no remote style, image, font or frame. Only the page's own
 * stylesheet applies, named by its hash, so even an unescaped value could not restyle the page. */
const CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(REPORT_CSS).digest('base64')}'; img-src 'none'; base-uri 'none'; form-action 'none'`

const td = (content: string, cls?: string) => `<td${cls === undefined ? '' : ` class="${cls}"`}>${content}</td>`
// A heading written `#name` heads a numeric column (right-aligned).
const table = (id: string, cls: string, head: readonly string[], rows: readonly string[], caption?: string) =>
  `<div class="scroll"><table id="${id}" class="${cls}">${caption === undefined ? '' : `<caption>${caption}</caption>`}<thead><tr>${head.map((h) => `<th${h.startsWith('#') ? ' class="num"' : ''}>${esc(h.replace(/^#/, ''))}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`
const section = (id: string, title: string, body: string) => `<section id="${id}"><h2>${esc(title)}</h2>${body}</section>`
const badge = (status: string) => `<span class="badge ${esc(status)}">${esc(status)}</span>`

function stepsTable(r: Report): string {
  const rows = r.steps.map((s) => `<tr id="step-${esc(s.id)}">`
    + td(`<code>${esc(s.id)}</code><br>${esc(s.title)}`) + td(esc(s.phase)) + td(badge(s.status) + (s.markedDone === undefined ? '' : ` <strong class="marked-done">${esc(s.markedDone)}</strong>`)) + td(String(s.attempts), 'num')
    + td(esc(s.startedAt === undefined ? '' : localTime(s.startedAt, r.window.timezone)), 'when') + td(esc(s.startedAt ?? ''), 'when') + td(esc(s.endedAt ?? ''), 'when') + td(s.durationMs === undefined ? '' : esc(formatElapsed(s.durationMs)), 'num')
    + td(esc(s.approvedBy ?? '')) + td(esc(s.error ?? ''), s.error === undefined ? undefined : 'error') + '</tr>')
  return table('steps-table', 'steps', ['step', 'phase', 'status', '#attempts', `started (${r.window.timezone})`, 'started (UTC)', 'ended (UTC)', '#took', 'approved by', 'error'], rows)
}

const roles = (counts: Readonly<Record<string, number>> | null, types: readonly string[]) =>
  counts === null ? 'missing' : types.map((t) => `${t} ${counts[t] ?? 0}`).join(', ')

function verificationRow(c: RoomCheck): string {
  const { row } = c
  const kinds = new Set(c.differences.map((d) => d.kind))
  // The cell a difference is about is marked too, not only its row.
  const off = (...k: readonly Difference['kind'][]) => (k.some((x) => kinds.has(x)) ? 'mismatch' : undefined)
  return `<tr class="${c.differences.length > 0 ? 'diff' : 'same'}">`
    + td(esc(row.room), off('missing-room')) + td(`${esc(row.legacy)} <span class="muted">(${esc(row.source)})</span>`) + td(esc(row.category), off('category'))
    + td(String(row.legacyMessages), 'num') + td(row.messages === null ? 'missing' : String(row.messages), off('messages', 'missing-room') === undefined ? 'num' : 'num mismatch')
    + td(esc(roles(row.legacyRoles, c.roleTypes))) + td(esc(roles(row.roles, c.roleTypes)), off('roles', 'missing-room'))
    + (c.reasons.length === 0 ? td('same', 'same') : td(c.reasons.map(esc).join('<br>'), 'reason')) + '</tr>'
}

function verificationSection(v: NonNullable<Report['verification']>): string {
  const checks = roomChecks(v)
  const other = otherDifferences(v, checks)
  const body = `<p>${verificationSummary(v, html, 'highlighted below with the reason')}</p>`
    + table('verification', 'verification', ['room', 'from (legacy, source)', 'category', '#legacy messages', '#Persistent Chat messages', 'legacy role holders', 'Persistent Chat role holders', 'difference'],
      checks.map(verificationRow), esc(`${checks.length} room(s) verified; ${checks.filter((c) => c.differences.length > 0).length} with differences`))
    + (other.length === 0 ? '' : `<ul class="other-differences">${other.map((d) => `<li>${otherDifference(d, html)}</li>`).join('')}</ul>`)
  return section('verification-section', 'Verification', body)
}

const detail = (d: Readonly<Record<string, JsonValue>> | undefined) =>
  d === undefined ? '' : Object.entries(d).map(([k, val]) => `${k}=${typeof val === 'string' ? val : JSON.stringify(val)}`).join(', ')

/** The run report as one self-contained HTML page: inline styles and SVG, no script, nothing
 * loaded from anywhere, every value from the records escaped. Same content as the Markdown. */
export function reportHtml(r: Report): string {
  const state = outcomeState(r)
  const parts = [
    `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="${CSP}">\n<meta name="referrer" content="no-referrer">\n<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${esc(`cutover report: ${r.plan}${r.lab ? ' (lab emulator)' : ''}`)}</title>\n<style>${REPORT_CSS}</style>\n</head>\n<body>`,
    `<header><h1>cutover report: ${esc(r.plan)}</h1>${r.lab ? `<p class="lab-banner" id="lab-banner">${labBanner(html)}</p>` : ''}${clockNote(r) === undefined ? '' : `<p class="clock" id="clock">${esc(clockNote(r) ?? '')}</p>`}<p class="written-by" id="written-by">${writtenBySentence(r, html)}</p></header>\n<main>`,
    section('outcome', 'Outcome', `<p class="outcome ${state}">${badge(state)} ${outcomeSentence(r, html)}</p>${r.planVersion === undefined ? '' : `<p class="plan-version">Plan: ${planVersionSentence(r.planVersion, html)}</p>`}${reviewedSentences(r, html).map((l) => `<p class="reviewed">Reviewed plan: ${l}</p>`).join('')}`),
    section('downtime', 'Downtime', `<dl class="facts"><dt>Window</dt><dd>${windowSentence(r, html)}</dd><dt>Taken</dt><dd${r.downtime?.insideWindow === false ? ' class="outside"' : ''}>${r.downtime === undefined ? 'not yet: the legacy services have not been stopped and Persistent Chat started again in this run' : downtimesSentence(r, html)}${r.downtimes.length > 1 ? `<ol id="downtimes">${r.downtimes.map((a) => `<li>${attemptSentence(a, r.window.timezone, html)}</li>`).join('')}</ol>` : ''}</dd></dl>${timelineHtml(r)}`),
    section('steps', 'Steps', stepsTable(r)),
  ]
  if (r.verification !== undefined) parts.push(verificationSection(r.verification))
  parts.push(section('stayed-behind', 'What stayed behind', `<ul id="stayed-behind-list">${stayedBehindLines(r, html).map((l) => `<li>${l}</li>`).join('')}</ul>`))
  if (r.warningsOnce.length > 0) {
    parts.push(section('warnings', `Warnings (${r.warningsOnce.length}; ${r.warnings.length} recorded)`, table('warnings-table', 'warnings', ['warning', 'steps that recorded it'],
      r.warningsOnce.map((w) => `<tr>${td(esc(w.message))}${td(w.steps.map((id) => `<code>${esc(id)}</code>`).join(', '))}</tr>`))))
  }
  if (r.decisions.length > 0) {
    parts.push(section('decisions', 'Decisions and interventions (journal)', table('decisions-table', 'decisions', [`when (${r.window.timezone})`, 'when (UTC)', 'who', 'what', 'step', 'detail'],
      r.decisions.map((d) => `<tr>${td(esc(localTime(d.at, r.window.timezone)), 'when')}${td(esc(d.at), 'when')}${td(esc(`${d.who}@${d.host}`))}${td(esc(decisionWhat(d)))}${td(d.step === undefined ? '' : `<code>${esc(d.step)}</code>`)}${td(esc(detail(d.detail)))}</tr>`))))
  }
  parts.push(`</main>\n<footer>Generated ${esc(r.generatedAt)} by cutover ${esc(r.cutoverVersion)}${r.lab ? ', on the lab emulator' : ''}.</footer>\n</body>\n</html>\n`)
  return parts.join('\n')
}
