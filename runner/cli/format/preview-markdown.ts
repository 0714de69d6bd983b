import { markdownCell } from '../../report/markdown.js'
import { describeLint } from '../../sql/lint.js'
import type { Preview, PreviewAction, PreviewReview, PreviewStep } from '../../compile/preview.js'
import type { PreviewScope, ScopeRow } from '../../compile/preview-scope.js'
import { againstMarkdown } from './preview-against.js'

const STATUS_ICON: Readonly<Record<string, string>> = { done: '✅', pending: '⏳', running: '🔄', failed: '❌', 'awaiting-approval': '✋', skipped: '⏭' }

const cell = markdownCell

/** GitHub refuses a comment over 65,536 characters; the preview stays under this, with room to spare. */
export const COMMENT_LIMIT = 60_000

/** Rows of the rooms table a comment shows at most; the JSON preview has every one. */
const SCOPE_ROWS = 300

/** Where the whole preview is when a comment leaves a script out. */
const FULL_PREVIEW = 'the full preview has it: `cutover plan <plan> --format markdown --scripts` (the example CI workflow uploads it as the `cutover-preview` artifact)'

export interface MarkdownOptions {
  /** Every script whole, each with its preamble, and no size limit: the full preview (an artifact). */
  readonly scripts?: boolean
  /** Characters the comment may have; COMMENT_LIMIT unless told. */
  readonly limit?: number
}

/** A fence longer than any run of backticks in the text, so no script can close it early. */
function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length))
  return '`'.repeat(longest + 1)
}

function codeBlock(body: string, lang: string): string[] {
  const f = fence(body)
  return [`${f}${lang}`, body.replace(/\n$/, ''), f]
}

function collapsible(summary: string, inner: readonly string[]): string[] {
  return ['<details>', `<summary>${summary}</summary>`, '', ...inner, '', '</details>', '']
}

const countOf = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/** What an action shows: its language, its text, and how the summary names it. */
function shown(a: PreviewAction, full: boolean): { what: string; lang: string; body: string } | undefined {
  switch (a.type) {
    case 'commands': {
      const n = a.commands?.length ?? 0
      return full || a.body === undefined
        ? { what: `PowerShell (${countOf(n, 'command')})`, lang: 'powershell', body: a.script ?? '' }
        : { what: `PowerShell (${countOf(n, 'command')}, inside the frame)`, lang: 'powershell', body: a.body }
    }
    case 'sql': return { what: `SQL, read-only (${countOf(a.queries?.length ?? 0, 'query', 'queries')} of ${a.store ?? ''})`, lang: 'sql', body: (a.queries ?? []).join(';\n\n') }
    case 'backup': return a.queries === undefined
      ? { what: 'backup', lang: 'text', body: `full copy-only backup of ${a.store ?? ''} to ${a.backupTo ?? ''}` }
      : { what: `backup of ${a.store ?? ''} (SQL)`, lang: 'sql', body: `-- full copy-only backup of ${a.store ?? ''} to ${a.backupTo ?? ''}\n${a.queries.join(';\n\n')}` }
    case 'manual': return { what: 'manual', lang: 'text', body: a.instructions ?? '' }
    case 'report': return { what: 'report', lang: 'text', body: `writes ${a.file ?? ''}` }
    case 'note': return undefined
  }
}

/** One block of "what each step runs": a step's action, or a note. */
interface Block {
  readonly lines: readonly string[]
  /** The stub that replaces it when the comment is too long (undefined: always kept). */
  readonly stub?: readonly string[]
}

function blocks(s: PreviewStep, full: boolean, seen: Map<string, string>): Block[] {
  const out: Block[] = []
  for (const a of s.actions) {
    if (a.type === 'note') {
      out.push({ lines: [`> \`${s.id}\`: ${cell(a.note ?? '')}`, ''] })
      continue
    }
    const v = shown(a, full)
    if (v === undefined) continue
    // Where each command runs and how it authenticates: kept whatever the comment's size.
    const placements = a.type === 'commands' ? a.placements ?? [] : []
    if (placements.length > 0) out.push({ lines: [...placements.map((w) => `- ${cell(w)}`), ''] })
    const summary = `<code>${s.id}</code>: ${cell(v.what)}`
    // The inventory steps read the same queries before and during the window: shown once.
    const key = `${v.lang}\n${v.body}`
    const same = seen.get(key)
    if (same !== undefined && !full) {
      out.push({ lines: [`- <code>${s.id}</code>: ${cell(v.what)}, the same as \`${same}\``, ''] })
      continue
    }
    seen.set(key, s.id)
    out.push({
      lines: collapsible(summary, codeBlock(v.body, v.lang)),
      stub: collapsible(summary, [`Too long for this comment (${v.body.length.toLocaleString('en-US')} characters): ${FULL_PREVIEW}.`]),
    })
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

/** What happens to one row, in words. */
export function outcomeText(r: ScopeRow): string {
  const behind = r.rooms === undefined ? '' : `, with its ${countOf(r.rooms, 'room')} (${countOf(r.messages ?? 0, 'message')})`
  switch (r.outcome) {
    case 'migrates': return 'migrates as it is'
    case 'changed': return r.kind === 'category' ? 'renamed after the import' : 'migrates, then changed as shown'
    case 'disabled': return 'migrates, then disabled'
    case 'skipped': return 'skipped: imported, then removed'
    case 'left-out': return `left out of the export${behind}`
    case 'stays-behind': return `stays behind: disabled in Group Chat, not exported${r.messages === undefined ? '' : ` (${countOf(r.messages, 'message')})`}`
  }
}

const UNMAPPED: Readonly<Record<PreviewScope['unmapped'], string>> = {
  migrate: 'Rooms no mapping names migrate as they are.',
  skip: 'Rooms no mapping names are skipped (unmapped: skip): imported, then removed.',
  error: 'Every room must be named by a mapping (unmapped: error): the preflight stops on one that is not.',
}

/** `: 1,234 messages in 5 rooms that migrate`, when the inventory tells. */
export function olderCount(scope: PreviewScope): string {
  const o = scope.olderMessages
  return o === undefined ? '' : `: ${o.messages.toLocaleString('en-US')} message${o.messages === 1 ? '' : 's'} in ${countOf(o.rooms, 'room')} that migrate${o.rooms === 1 ? 's' : ''}`
}

/** The table of what happens to rooms and categories. */
function scopeSection(scope: PreviewScope): string[] {
  const lines = ['### Rooms and categories', '']
  lines.push([scope.cutoff === undefined ? 'Every message is exported (no cutoff).' : `Messages older than ${scope.cutoff} stay behind (Export -StartDate)${olderCount(scope)}.`, UNMAPPED[scope.unmapped]].join(' '), '')
  if (scope.rows.length === 0) lines.push('The plan renames, moves, skips and leaves out nothing.', '')
  else {
    lines.push('| source | legacy | becomes | privacy | what happens |', '|---|---|---|---|---|')
    for (const r of scope.rows.slice(0, SCOPE_ROWS)) {
      const becomes = [r.to === undefined ? '' : cell(r.to), r.category === undefined ? '' : `in ${cell(r.category)}`, r.description === undefined ? '' : `description: ${cell(r.description)}`].filter((x) => x !== '').join('; ')
      lines.push(`| ${cell(r.source)} | ${r.kind} ${cell(r.from)} | ${becomes} | ${r.privacy ?? ''} | ${outcomeText(r)} |`)
    }
    if (scope.rows.length > SCOPE_ROWS) lines.push('', `… and ${scope.rows.length - SCOPE_ROWS} more rows: \`cutover plan <plan> --format json\` lists every one (rooms.rows).`)
    lines.push('')
  }
  if (!scope.inventoryKnown) lines.push('_Without an inventory the rooms disabled in Group Chat (which stay behind) are not listed: `cutover plan --inventory` reads them, and so does the preflight._', '')
  return lines
}

/**
 * The preview as Markdown for a pull-request comment: the window and forecast, what happens to
 * rooms and categories, the steps, then what each step runs, collapsed, with the frame every
 * PowerShell script shares shown once. It stays under `limit` characters (COMMENT_LIMIT): the
 * longest scripts are left out, each saying so, until it fits. With `scripts`: every script
 * whole and no limit (the full preview). `emulator`: the plan runs on the lab emulator.
 */
/** What ties this comment to the reviewed plan that runs (README: apply --reviewed). */
function reviewedLines(p: Preview, review: PreviewReview): string[] {
  const blind = p.steps.filter((s) => s.inventoryOf?.some((i) => !i.known) === true).map((s) => `\`${s.id}\``)
  return [
    `Rendered by cutover ${cell(review.cutoverVersion)} with templates \`${review.templatesDigest.slice(0, 12)}\` from the plan file with sha256 \`${review.planFile.sha256.slice(0, 12)}\`. ` +
      `\`cutover plan <plan> --inventory --format json --out FILE\` writes this preview as the reviewed plan; \`cutover apply <plan> --reviewed FILE\` runs only what it shows, and refuses a step that would run otherwise.`,
    ...(blind.length === 0 ? [] : ['', `Shown without the stores' inventory, so not exact yet: ${blind.join(', ')}; apply --reviewed compares them again once it has read the stores.`]),
  ]
}

export function previewMarkdown(p: Preview, emulator: boolean, options: MarkdownOptions = {}): string {
  const full = options.scripts === true
  const limit = full ? Infinity : options.limit ?? COMMENT_LIMIT
  const w = p.window
  const head = [
    // The example CI workflow finds the comment of a plan by this line and updates it.
    `<!-- cutover plan: ${p.plan} -->`,
    `## cutover plan: \`${p.plan}\``,
    '',
    emulator ? '> Runs on the embedded **lab emulator**; the scripts are what a real Lync server would run.\n'
      : p.remote !== undefined ? `> Each script runs on \`${p.remote}\` through PowerShell remoting (New-PSSession, Invoke-Command -FilePath).\n` : '',
    `**Downtime window:** ${w.startLocal} to ${w.endLocal} ${w.timezone} (${w.startUtc} to ${w.endUtc} UTC), margin ${w.margin}; cutover steps start no later than ${w.lastStartUtc}. Now: **${w.state}**${w.state === 'before' ? `, opens in ${w.opensInMinutes} min` : ''}.`,
    '',
    forecastLine(p),
    '',
    `**${p.remaining}** of ${p.steps.length} steps remain to run.`,
    '',
    ...againstMarkdown(p.against),
    ...scopeSection(p.rooms),
    '### Steps',
    '',
    '| | step | phase | what it does | attempts |',
    '|---|---|---|---|---|',
    ...p.steps.map((s) => `| ${STATUS_ICON[s.status] ?? s.status}${s.changed ? ' ⚠️ changed' : ''} | \`${s.id}\` | ${s.phase} | ${cell(s.title)} | ${s.attempts} |`),
    '',
    ...gantt(p),
    '',
  ]
  const changed = p.steps.filter((s) => s.changedInputs !== undefined)
  if (changed.length > 0) {
    head.push('### What changed since the steps ran', '')
    for (const s of changed) {
      const d = s.changedInputs
      if (d === undefined) continue
      if ('unknown' in d) head.push(`- \`${s.id}\`: not known: ${cell(d.unknown)}`)
      else head.push(`- \`${s.id}\` (against commit ${d.commit.slice(0, 12)}):`, ...d.changes.map((c) => `  - ${cell(c.path === '' ? '(input)' : c.path)}: ${cell(c.ran ?? '(absent)')} → ${cell(c.now ?? '(absent)')}`))
    }
    head.push('')
  }
  if (p.findings.length > 0) head.push('### Validation findings', '', ...p.findings.map((f) => `- ${f.severity}: line ${f.line}: ${cell(f.message)} \`${f.rule}\``), '')
  if (p.lint !== undefined) {
    head.push('### Preflight lint of the stores as they are now', '', ...(p.lint.length === 0 ? ['Nothing to fix.'] : p.lint.map((f) => `- ${f.severity}: ${cell(describeLint(f))}`)), '')
  }
  if (p.review !== undefined) head.push('### Reviewed plan', '', ...reviewedLines(p, p.review), '')
  head.push('### What each step runs', '')
  if (!full && p.frame !== undefined && p.steps.some((s) => s.actions.some((a) => a.body !== undefined))) {
    const frameText = `${p.frame.head}  # … the step's own commands, shown below …\n${p.frame.tail}`
    head.push(
      'Every PowerShell script is the same frame around its step\'s own commands; only its first line names the step. The frame is shown once, then each step\'s commands.',
      '',
      ...collapsible('The frame of every script: preamble, Import-Module, result line', codeBlock(frameText, 'powershell')),
    )
  }
  const seen = new Map<string, string>()
  const parts = p.steps.flatMap((s) => blocks(s, full, seen))
  const shownParts: (readonly string[])[] = parts.map((b) => b.lines)
  const render = () => {
    const lines = [...head, ...shownParts.flat()]
    return lines.filter((l, i) => !(l === '' && lines[i - 1] === '')).join('\n') + '\n'
  }
  let text = render()
  // Too long for one comment: leave out the longest scripts first, each saying where it is.
  const bySize = parts.map((b, i) => ({ i, size: b.lines.join('\n').length })).filter((x) => parts[x.i]?.stub !== undefined).sort((a, b) => b.size - a.size)
  for (const { i } of bySize) {
    if (text.length <= limit) break
    shownParts[i] = parts[i]?.stub ?? []
    text = render()
  }
  if (text.length <= limit) return text
  // Still too long (thousands of findings): cut at a line, and say so.
  const note = `\n\n_The comment ends here: it would be longer than ${limit.toLocaleString('en-US')} characters; ${FULL_PREVIEW}._\n`
  const cut = text.lastIndexOf('\n', limit - note.length)
  return text.slice(0, Math.max(0, cut)) + note
}
