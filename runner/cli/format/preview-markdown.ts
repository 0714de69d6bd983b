import { markdownCell } from '../../report/markdown.js'
import { describeLint } from '../../sql/lint.js'
import type { Preview, PreviewStep } from '../../compile/preview.js'

const STATUS_ICON: Readonly<Record<string, string>> = { done: '✅', pending: '⏳', running: '🔄', failed: '❌', 'awaiting-approval': '✋', skipped: '⏭' }

const cell = markdownCell

/** A fence longer than any run of backticks in the text, so no script can close it early. */
function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length))
  return '`'.repeat(longest + 1)
}

function details(s: PreviewStep): string[] {
  const out: string[] = []
  for (const a of s.actions) {
    if (a.type === 'note') {
      out.push(`> ${cell(a.note ?? '')}`, '')
      continue
    }
    const body = a.type === 'commands' ? a.script ?? '' : a.type === 'sql' ? (a.queries ?? []).join(';\n\n') : a.type === 'manual' ? a.instructions ?? '' : a.type === 'backup' ? (a.queries === undefined ? `full copy-only backup of ${a.store ?? ''} to ${a.backupTo ?? ''}` : `-- full copy-only backup of ${a.store ?? ''} to ${a.backupTo ?? ''}\n${a.queries.join(';\n\n')}`) : `writes ${a.file ?? ''}`
    const lang = a.type === 'commands' ? 'powershell' : a.type === 'sql' || (a.type === 'backup' && a.queries !== undefined) ? 'sql' : 'text'
    const f = fence(body)
    if (a.type === 'commands') for (const where of a.placements ?? []) out.push(`- ${cell(where)}`)
    if (a.type === 'commands' && (a.placements ?? []).length > 0) out.push('')
    out.push('<details>', `<summary><code>${s.id}</code>: ${a.type === 'commands' ? 'PowerShell' : a.type === 'sql' ? 'SQL (read-only)' : a.type}</summary>`, '', `${f}${lang}`, body, f, '', '</details>', '')
  }
  return out
}

export function forecastLine(p: Preview): string {
  const f = p.forecast
  const h = (m: number) => `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}`
  return f.fits
    ? `Forecast: the cutover steps take about ${h(f.minutes)} of the ${h(f.allowedMinutes)} window.`
    : `**Warning:** the forecast cutover takes ${h(f.minutes)}, longer than the ${h(f.allowedMinutes)} window: widen the window, or rehearse on a copy to measure the real durations.`
}

/** Mermaid gantt of the cutover steps inside the downtime window, from recorded or default durations. */
function gantt(p: Preview): string[] {
  const cutover = p.steps.filter((s) => s.phase === 'cutover')
  const windowMinutes = Math.round((Date.parse(p.window.endUtc) - Date.parse(p.window.startUtc)) / 60_000)
  const lines = ['```mermaid', 'gantt', `  title Cutover inside the downtime window (UTC; ${p.window.timezone} ${p.window.startLocal} to ${p.window.endLocal})`, '  dateFormat YYYY-MM-DDTHH:mm', '  axisFormat %H:%M', '  section Window', `  downtime window :active, window, ${p.window.startUtc.slice(0, 16)}, ${windowMinutes}m`, '  section Cutover']
  cutover.forEach((s, i) => {
    const minutes = s.forecast?.minutes ?? 1
    const when = i === 0 ? p.window.startUtc.slice(0, 16) : `after s${i - 1}`
    lines.push(`  ${s.id} :${s.status === 'done' ? 'done, ' : ''}s${i}, ${when}, ${minutes}m`)
  })
  lines.push('```')
  return lines
}

/** The preview as Markdown for a pull-request comment: summary table, collapsible scripts, gantt.
 * `emulator`: the plan runs on the lab emulator (the runtime says), which the comment says first. */
export function previewMarkdown(p: Preview, emulator: boolean): string {
  const w = p.window
  const lines = [
    `## cutover plan: \`${p.plan}\``,
    '',
    emulator ? '> Runs on the embedded **lab emulator**; the scripts are what a real Lync server would run.\n'
      : p.remote !== undefined ? `> Each script runs on \`${p.remote}\` through PowerShell remoting (New-PSSession, Invoke-Command -FilePath).\n` : '',
    `**Downtime window:** ${w.startLocal} to ${w.endLocal} ${w.timezone} (${w.startUtc} to ${w.endUtc} UTC), margin ${w.margin}; cutover steps start no later than ${w.lastStartUtc}. Now: **${w.state}**${w.state === 'before' ? `, opens in ${w.opensInMinutes} min` : ''}.`,
    '',
    `**${p.remaining}** of ${p.steps.length} steps remain to run.`,
    '',
    forecastLine(p),
    '',
    '| | step | phase | what it does | attempts |',
    '|---|---|---|---|---|',
    ...p.steps.map((s) => `| ${STATUS_ICON[s.status] ?? s.status}${s.changed ? ' ⚠️ changed' : ''} | \`${s.id}\` | ${s.phase} | ${cell(s.title)} | ${s.attempts} |`),
    '',
    ...gantt(p),
    '',
  ]
  if (p.findings.length > 0) lines.push('### Validation findings', '', ...p.findings.map((f) => `- ${f.severity}: line ${f.line}: ${cell(f.message)} \`${f.rule}\``), '')
  if (p.lint !== undefined) {
    lines.push('### Preflight lint of the stores as they are now', '', ...(p.lint.length === 0 ? ['Nothing to fix.'] : p.lint.map((f) => `- ${f.severity}: ${cell(describeLint(f))}`)), '')
  }
  lines.push('### What each step runs', '')
  for (const s of p.steps) lines.push(...details(s))
  return lines.filter((l, i) => !(l === '' && lines[i - 1] === '')).join('\n') + '\n'
}
