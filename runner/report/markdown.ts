import { formatElapsed } from '../core/time.js'
import type { Report } from './model.js'
import { attemptSentence, clockNote, decisionWhat, downtimesSentence, labBanner, localTime, otherDifference, outcomeSentence, planVersionSentence, reviewedSentences, stayedBehindLines, stepStatus, timelineSteps, verificationSummary, warningOnceLine, windowSentence, writtenBySentence } from './phrases.js'
import type { Markup } from './phrases.js'
import { roomChecks, rolesCompared } from './verification-rows.js'
import { pushAll } from '../core/arrays.js'

/** CommonMark ends a line (and so a table row) at CR or LF; NEL, LS and PS break it in some viewers. */
const LINE_BREAK = /\r\n|[\r\n\u0085\u2028\u2029]/g

/** Text from the records inside Markdown, shown as written: one table cell (no `|`, no line
 * break), no HTML a viewer would render (a room may be named `<img src=x>`), and no code span,
 * emphasis or link made of a name's backticks, stars, underscores or brackets. */
export function markdownCell(text: string): string {
  return text.replace(/[\\`*_[\]]/g, '\\$&').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(LINE_BREAK, ' ')
}

const cell = markdownCell
const md: Markup = { text: cell, strong: (t) => `**${t}**` }

/** The run report as Markdown: for the manager (outcome, downtime), the auditor (decisions,
 * approvals) and the next admin (every step, the verification table, the warnings). */
export function reportMarkdown(r: Report): string {
  const zone = r.window.timezone
  const lines = [`# cutover report: ${r.plan}`, '']
  if (r.lab) lines.push(`> ${labBanner(md)}`, '')
  const clock = clockNote(r)
  if (clock !== undefined) lines.push(`> ${cell(clock)}`, '')
  lines.push(`**Written by:** ${writtenBySentence(r, md)}`, '')
  lines.push(`**Outcome:** ${outcomeSentence(r, md)}`, '')
  if (r.planVersion !== undefined) lines.push(`**Plan:** ${planVersionSentence(r.planVersion, md)}`, '')
  const reviewed = reviewedSentences(r, md)
  if (reviewed.length === 1) lines.push(`**Reviewed plan:** ${reviewed[0] ?? ''}`, '')
  else if (reviewed.length > 1) lines.push('**Reviewed plan:**', '', ...reviewed.map((l) => `- ${l}`), '')
  lines.push(`**Downtime window:** ${windowSentence(r, md)}`)
  if (r.downtime !== undefined) {
    lines.push('', `**Downtime taken:** ${downtimesSentence(r, md)}`)
    if (r.downtimes.length > 1) lines.push('', ...r.downtimes.map((a, i) => `${i + 1}. ${attemptSentence(a, zone, md)}`))
    lines.push('', '```mermaid', 'gantt', '  title The cutover as it ran (UTC)', '  dateFormat YYYY-MM-DDTHH:mm:ss', '  axisFormat %H:%M',
      '  section Window', `  downtime window :active, ${r.window.startUtc.slice(0, 19)}, ${r.window.endUtc.slice(0, 19)}`,
      '  section Cutover', ...timelineSteps(r).map((s) => `  ${s.id} :${s.status === 'done' ? 'done' : 'crit'}, ${s.startedAt.slice(0, 19)}, ${Math.max(1, Math.round((s.durationMs ?? 0) / 1000))}s`), '```')
  }
  lines.push('', '## Steps', '', `| step | status | attempts | started (${cell(zone)}) | started (UTC) | took |`, '|---|---|---|---|---|---|')
  for (const s of r.steps) {
    lines.push(`| \`${s.id}\` ${cell(s.title)} | ${stepStatus(s, md)} | ${s.attempts} | ${s.startedAt === undefined ? '' : localTime(s.startedAt, zone)} | ${s.startedAt ?? ''} | ${s.durationMs === undefined ? '' : formatElapsed(s.durationMs)} |`)
  }
  const v = r.verification
  if (v !== undefined) {
    lines.push('', '## Verification', '', verificationSummary(v, md, 'marked ❌ below'))
    lines.push('', '| room | from | legacy messages | Persistent Chat | roles (legacy → Persistent Chat) |', '|---|---|---|---|---|')
    for (const c of roomChecks(v)) {
      const row = c.row
      lines.push(`| ${c.differences.length > 0 ? '❌ ' : ''}${cell(row.room)} | ${cell(row.legacy)} (${row.source}) | ${row.legacyMessages} | ${row.messages ?? 'missing'} | ${cell(rolesCompared(c))} |`)
    }
    const other = v.differences.filter((d) => d.kind.endsWith('category') || d.kind === 'unexpected-room')
    if (other.length > 0) lines.push('', ...other.map((d) => `- ❌ ${otherDifference(d, md)}`))
  }
  lines.push('', '## What stayed behind', '', ...stayedBehindLines(r, md).map((l) => `- ${l}`))
  if (r.warningsOnce.length > 0) {
    lines.push('', '## Warnings', '', `${r.warningsOnce.length} warning(s), each once with the steps that recorded it (${r.warnings.length} recorded in all).`, '')
    pushAll(lines, r.warningsOnce.map((w) => `- ${warningOnceLine(w, md, (id) => `\`${id}\``)}`))
  }
  if (r.decisions.length > 0) {
    lines.push('', '## Decisions and interventions (journal)', '', `| when (${cell(zone)}) | when (UTC) | who | what | step |`, '|---|---|---|---|---|')
    for (const d of r.decisions) lines.push(`| ${localTime(d.at, zone)} | ${d.at} | ${cell(d.who)}@${cell(d.host)} | ${decisionWhat(d)} | ${d.step ?? ''} |`)
  }
  lines.push('', `_Generated ${localTime(r.generatedAt, zone)} ${cell(zone)} (${r.generatedAt}) by cutover ${cell(r.cutoverVersion)}._`)
  return lines.join('\n') + '\n'
}
