import type { Preview, PreviewAction, PreviewStep } from '../../compile/preview.js'
import { escapeLineBreaks } from '../../core/line-breaks.js'
import { formatFinding } from '../../plan/findings.js'
import { describeLint } from '../../sql/lint.js'
import { forecastLine, olderCount, outcomeText } from './preview-markdown.js'
import { againstText } from './preview-against.js'
import { pushAll } from '../../core/arrays.js'

function windowLine(p: Preview): string[] {
  const w = p.window
  const state = w.state === 'before' ? `opens in ${w.opensInMinutes} min` : w.state === 'open' ? 'OPEN now' : w.state === 'closing' ? 'open, but less than the margin is left: no cutover step may start' : 'over'
  return [
    `downtime window: ${w.startLocal} to ${w.endLocal} ${w.timezone} (${w.startUtc} to ${w.endUtc} UTC), margin ${w.margin}: ${state}`,
    `last start of a cutover step: ${w.lastStartUtc}`,
  ]
}

/** What an action shows: compact (a script's own commands, a count of queries), or `full`
 * (every script whole, every query). */
function actionLines(a: PreviewAction, full: boolean): string[] {
  const queries = (list: readonly string[] | undefined) => (full ? (list ?? []).flatMap((q) => [...q.split('\n').map((l) => `      ${l}`), '']) : [])
  switch (a.type) {
    // A body is indented inside the frame's try block: shown from the step's own margin.
    case 'commands': return [...(a.placements ?? []).map((l) => `    where: ${escapeLineBreaks(l)}`), ...(full || a.body === undefined ? (a.script ?? '').split('\n').map((l) => `    ${l}`) : a.body.replace(/\n$/, '').split('\n').map((l) => `    ${l.startsWith('  ') ? l.slice(2) : l}`))]
    case 'sql': return [`    reads ${a.store ?? ''} (read-only, ${a.queries?.length ?? 0} queries)${full ? ':' : ''}`, ...queries(a.queries)]
    case 'backup': return [
      `    full copy-only backup of ${a.store ?? ''} (${a.backupTo ?? ''})${a.queries === undefined || !full ? '' : ', on the SQL Server, with @db, @file and @name as parameters:'}`,
      ...queries(a.queries),
    ]
    case 'manual': return ['    a person does this, then: cutover approve <plan> <step>', ...(a.instructions ?? '').split('\n').map((l) => `    > ${l}`)]
    case 'report': return [`    writes the run report (${a.file ?? ''})`]
    case 'note': return [`    note: ${a.note ?? ''}`]
  }
}

/** A changed step's inputs against the ones that ran: one line each. */
export function changedLines(s: PreviewStep): string[] {
  const d = s.changedInputs
  if (d === undefined) return []
  if ('unknown' in d) return [escapeLineBreaks(`    changed since it ran; what changed is not known: ${d.unknown}`)]
  return [`    changed since it ran (commit ${d.commit.slice(0, 12)} of the plan):`, ...d.changes.map((c) => escapeLineBreaks(`      ${c.path === '' ? '(input)' : c.path}: ${c.ran ?? '(absent)'} -> ${c.now ?? '(absent)'}`))]
}

/** What happens to the rooms and categories, one line each. */
function scopeLines(p: Preview): string[] {
  const s = p.rooms
  const lines = [`rooms: ${s.cutoff === undefined ? 'every message is exported (no cutoff)' : `messages older than ${s.cutoff} stay behind${olderCount(s)}`}; rooms no mapping names: ${s.unmapped}`]
  for (const r of s.rows) {
    const changes = [r.to === undefined ? '' : `-> ${r.to}`, r.category === undefined ? '' : `in ${r.category}`, r.privacy === undefined ? '' : `privacy ${r.privacy}`, r.description === undefined ? '' : `description ${r.description}`].filter((x) => x !== '')
    lines.push(escapeLineBreaks(`  ${r.source} ${r.kind} ${r.from}: ${outcomeText(r)}${changes.length > 0 ? ` (${changes.join(', ')})` : ''}`))
  }
  if (!s.inventoryKnown) lines.push('  (rooms disabled in Group Chat stay behind; cutover plan --inventory lists them)')
  return lines
}

/** The preview as plain text: what an admin reads in a terminal before the night. Compact by
 * default: each script without the frame every script shares, SQL as a count of queries; `full`
 * (plan --scripts) shows every script and query whole. `emulator`: the plan runs on the lab
 * emulator (the runtime says), which the text says first. */
export function previewText(p: Preview, emulator: boolean, full = false): string {
  const where = emulator ? ' (lab emulator: the scripts below are what a real Lync server would run)' : p.remote !== undefined ? ` (each script runs on ${p.remote} through PowerShell remoting: New-PSSession, Invoke-Command -FilePath)` : ''
  const lines = [`plan ${p.plan}${where}`, ...windowLine(p), '', ...againstText(p.against), ...scopeLines(p), '']
  if (!full) lines.push('(each script without the preamble and result line every script has, SQL without its queries: cutover plan --scripts shows them whole)', '')
  for (const s of p.steps) {
    const flags = [s.changed ? 'CHANGED since it ran' : '', s.attempts > 1 ? `${s.attempts} attempts` : '', s.approvedBy === undefined ? '' : `approved by ${s.approvedBy}`].filter((x) => x !== '')
    lines.push(`[${s.status}] ${s.id} (${s.phase})  ${escapeLineBreaks(s.title)}${flags.length > 0 ? `  (${flags.join('; ')})` : ''}`)
    pushAll(lines, changedLines(s))
    if (s.status !== 'done') for (const a of s.actions) pushAll(lines, actionLines(a, full))
  }
  lines.push('', `${p.remaining} of ${p.steps.length} steps remain to run`, forecastLine(p).replace(/\*\*/g, ''))
  for (const f of p.findings) lines.push(formatFinding(f))
  if (p.lint !== undefined) {
    lines.push('', `preflight lint of the stores as they are now: ${p.lint.length === 0 ? 'nothing to fix' : `${p.lint.length} finding(s)`}`)
    for (const f of p.lint) lines.push(`  ${f.severity}: ${describeLint(f)}`)
  }
  return lines.join('\n') + '\n'
}
