import { formatElapsed } from '../plan/time.js'
import type { Report } from './model.js'

const cell = (t: string) => t.replace(/\|/g, '\\|').replace(/\n/g, ' ')

/** The run report as Markdown: for the manager (outcome, downtime), the auditor (decisions,
 * approvals) and the next admin (every step, the verification table, the warnings). */
export function reportMarkdown(r: Report): string {
  const done = r.steps.filter((s) => s.status === 'done').length
  const failed = r.steps.find((s) => s.status === 'failed')
  const lines = [`# cutover report: ${r.plan}`, '']
  if (r.lab) lines.push('> This run used the embedded **lab emulator**, not a Lync deployment.', '')
  lines.push(
    `**Outcome:** ${done} of ${r.steps.length} steps done${failed === undefined ? '' : `; **${failed.id} failed**: ${cell(failed.error ?? '')}`}.`,
    '',
    `**Downtime window:** ${r.window.startLocal} to ${r.window.endLocal} ${r.window.timezone} (${r.window.startUtc} to ${r.window.endUtc} UTC), margin ${r.window.margin}.`,
  )
  if (r.downtime !== undefined) {
    lines.push('', `**Downtime taken:** ${formatElapsed(r.downtime.durationMs)}, from the legacy services' stop (${r.downtime.startUtc}) to the Persistent Chat services' start (${r.downtime.endUtc}), ${r.downtime.insideWindow ? 'inside the window' : '**outside the window**'}.`)
    const ran = r.steps.filter((s) => s.phase === 'cutover' && s.startedAt !== undefined && s.endedAt !== undefined)
    lines.push('', '```mermaid', 'gantt', '  title The cutover as it ran (UTC)', '  dateFormat YYYY-MM-DDTHH:mm:ss', '  axisFormat %H:%M',
      '  section Window', `  downtime window :active, ${r.window.startUtc.slice(0, 19)}, ${r.window.endUtc.slice(0, 19)}`,
      '  section Cutover', ...ran.map((s) => `  ${s.id} :${s.status === 'done' ? 'done' : 'crit'}, ${(s.startedAt ?? '').slice(0, 19)}, ${Math.max(1, Math.round((s.durationMs ?? 0) / 1000))}s`), '```')
  }
  lines.push('', '## Steps', '', '| step | status | attempts | started (UTC) | took |', '|---|---|---|---|---|')
  for (const s of r.steps) {
    lines.push(`| \`${s.id}\` ${cell(s.title)} | ${s.status}${s.approvedBy === undefined ? '' : ` (approved by ${cell(s.approvedBy)})`} | ${s.attempts} | ${s.startedAt ?? ''} | ${s.durationMs === undefined ? '' : formatElapsed(s.durationMs)} |`)
  }
  const v = r.verification
  if (v !== undefined) {
    lines.push('', '## Verification', '', v.differences.length === 0
      ? `Persistent Chat holds what the frozen inventory says it must: ${v.expected.categories} categories, ${v.expected.rooms} rooms, ${v.expected.messages} messages since the cutoff (rooms renamed, moved or skipped as the plan maps them; disabled rooms and categories left out are not expected).`
      : `**${v.differences.length} difference(s)** between the frozen inventory and Persistent Chat; they are marked ❌ below.`)
    const wrong = new Set(v.differences.map((d) => d.name.replace(/ \(.*\)$/, '')))
    lines.push('', '| room | from | legacy messages | Persistent Chat | roles (legacy → Persistent Chat) |', '|---|---|---|---|---|')
    for (const row of v.rooms) {
      const roles = Object.keys({ ...row.legacyRoles, ...(row.roles ?? {}) }).sort().map((k) => `${k} ${row.legacyRoles[k] ?? 0}→${row.roles?.[k] ?? 0}`).join(', ')
      const mark = wrong.has(row.room) ? '❌ ' : ''
      lines.push(`| ${mark}${cell(row.room)} | ${cell(row.legacy)} (${row.source}) | ${row.legacyMessages} | ${row.messages ?? 'missing'} | ${cell(roles)} |`)
    }
    const other = v.differences.filter((d) => d.kind.endsWith('category') || d.kind === 'unexpected-room')
    if (other.length > 0) lines.push('', ...other.map((d) => `- ❌ ${d.kind}: ${cell(d.name)} (expected ${d.expected}, found ${d.actual})`))
  }
  if (r.warnings.length > 0) lines.push('', '## Warnings', '', ...r.warnings.map((w) => `- \`${w.step}\`: ${cell(w.message)}`))
  if (r.decisions.length > 0) {
    lines.push('', '## Decisions and interventions (journal)', '', '| when (UTC) | who | what | step |', '|---|---|---|---|')
    for (const d of r.decisions) lines.push(`| ${d.at} | ${cell(d.who)}@${cell(d.host)} | ${d.event}${d.outcome === undefined ? '' : ` (${d.outcome})`} | ${d.step ?? ''} |`)
  }
  lines.push('', `_Generated ${r.generatedAt} by cutover._`)
  return lines.join('\n') + '\n'
}
