import type { Preview, PreviewAction } from '../../compile/preview.js'
import { escapeLineBreaks } from '../../core/line-breaks.js'
import { formatFinding } from '../../plan/findings.js'
import { describeLint } from '../../sql/lint.js'
import { forecastLine } from './preview-markdown.js'

function windowLine(p: Preview): string[] {
  const w = p.window
  const state = w.state === 'before' ? `opens in ${w.opensInMinutes} min` : w.state === 'open' ? 'OPEN now' : w.state === 'closing' ? 'open, but less than the margin is left: no cutover step may start' : 'over'
  return [
    `downtime window: ${w.startLocal} to ${w.endLocal} ${w.timezone} (${w.startUtc} to ${w.endUtc} UTC), margin ${w.margin}: ${state}`,
    `last start of a cutover step: ${w.lastStartUtc}`,
  ]
}

function actionLines(a: PreviewAction): string[] {
  switch (a.type) {
    case 'commands': return [...(a.placements ?? []).map((l) => `    where: ${escapeLineBreaks(l)}`), ...(a.script ?? '').split('\n').map((l) => `    ${l}`)]
    case 'sql': return [`    reads ${a.store ?? ''} (read-only, ${a.queries?.length ?? 0} queries):`, ...(a.queries ?? []).flatMap((q) => [...q.split('\n').map((l) => `      ${l}`), ''])]
    case 'backup': return [
      `    full copy-only backup of ${a.store ?? ''} (${a.backupTo ?? ''})${a.queries === undefined ? '' : ', on the SQL Server, with @db, @file and @name as parameters:'}`,
      ...(a.queries ?? []).flatMap((q) => [...q.split('\n').map((l) => `      ${l}`), '']),
    ]
    case 'manual': return ['    a person does this, then: cutover approve <plan> <step>', ...(a.instructions ?? '').split('\n').map((l) => `    > ${l}`)]
    case 'report': return [`    writes the run report (${a.file ?? ''})`]
    case 'note': return [`    note: ${a.note ?? ''}`]
  }
}

/** The preview as plain text: what an admin reads in a terminal before the night. `emulator`:
 * the plan runs on the lab emulator (the runtime says), which the text says first. */
export function previewText(p: Preview, emulator: boolean): string {
  const where = emulator ? ' (lab emulator: the scripts below are what a real Lync server would run)' : p.remote !== undefined ? ` (each script runs on ${p.remote} through PowerShell remoting: New-PSSession, Invoke-Command -FilePath)` : ''
  const lines = [`plan ${p.plan}${where}`, ...windowLine(p), '']
  for (const s of p.steps) {
    const flags = [s.changed ? 'CHANGED since it ran' : '', s.attempts > 1 ? `${s.attempts} attempts` : '', s.approvedBy === undefined ? '' : `approved by ${s.approvedBy}`].filter((x) => x !== '')
    lines.push(`[${s.status}] ${s.id} (${s.phase})  ${escapeLineBreaks(s.title)}${flags.length > 0 ? `  (${flags.join('; ')})` : ''}`)
    if (s.status !== 'done') for (const a of s.actions) lines.push(...actionLines(a))
  }
  lines.push('', `${p.remaining} of ${p.steps.length} steps remain to run`, forecastLine(p).replace(/\*\*/g, ''))
  for (const f of p.findings) lines.push(formatFinding(f))
  if (p.lint !== undefined) {
    lines.push('', `preflight lint of the stores as they are now: ${p.lint.length === 0 ? 'nothing to fix' : `${p.lint.length} finding(s)`}`)
    for (const f of p.lint) lines.push(`  ${f.severity}: ${describeLint(f)}`)
  }
  return lines.join('\n') + '\n'
}
