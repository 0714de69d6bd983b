import { formatElapsed, formatLocal } from '../core/time.js'
import type { JournalEntry } from '../state/types.js'
import type { ContentSeen, Difference } from '../sql/verification.js'
import type { Report, ReportStep } from './model.js'
import type { RoomBehind } from './left-behind.js'

/**
 * How a format marks text up. The report's sentences are written once, here, and each format
 * (Markdown, HTML) supplies its own escaping and emphasis, so the two reports cannot drift apart.
 */
export interface Markup {
  /** Text from the records (names, errors), made safe for the format. */
  readonly text: (raw: string) => string
  /** Emphasis around content already marked up. */
  readonly strong: (marked: string) => string
}

/** done: every step done or skipped; failed: a step failed; unfinished: paused, or not run yet. */
export type OutcomeState = 'done' | 'failed' | 'unfinished'

export function outcomeState(r: Report): OutcomeState {
  if (r.steps.some((s) => s.status === 'failed')) return 'failed'
  return r.steps.every((s) => s.status === 'done') ? 'done' : 'unfinished'
}

export function labBanner(m: Markup): string {
  return `This run used the embedded ${m.strong('lab emulator')}, not a Lync deployment.`
}

/** `21 of 21 steps done.`, or with the failed step and its error. */
export function outcomeSentence(r: Report, m: Markup): string {
  const done = r.steps.filter((s) => s.status === 'done').length
  const failed = r.steps.find((s) => s.status === 'failed')
  const marked = r.steps.filter((s) => s.markedDone !== undefined)
  const forced = marked.length === 0 ? '' : `; ${m.strong(`${marked.length} of them marked done by hand`)}: ${marked.map((s) => `${m.text(s.id)} (${m.text(s.markedDone ?? '')})`).join(', ')}`
  return `${done} of ${r.steps.length} steps done${forced}${failed === undefined ? '' : `; ${m.strong(`${m.text(failed.id)} failed`)}: ${m.text(failed.error ?? '')}`}.`
}

/** Which plan file ran: the committed version, or a file that is not one. */
export function planVersionSentence(v: NonNullable<Report['planVersion']>, m: Markup): string {
  const file = `sha256 ${m.text(v.sha256.slice(0, 12))}`
  return v.commit === undefined
    ? `the plan file with ${file}, ${m.strong('not a committed version')} (uncommitted changes, not in git, or no --plan-sha).`
    : v.commitSource === 'operator'
      ? `commit ${m.strong(m.text(v.commit.slice(0, 12)))} ${m.strong('as stated by the operator')} (--plan-sha; git did not confirm that it holds this file, ${file}).`
      : `commit ${m.strong(m.text(v.commit.slice(0, 12)))} of the plan (file ${file}).`
}

export function windowSentence(r: Report, m: Markup): string {
  const w = r.window
  return m.text(`${w.startLocal} to ${w.endLocal} ${w.timezone} (${w.startUtc} to ${w.endUtc} UTC), margin ${w.margin}.`)
}

export function downtimeSentence(d: NonNullable<Report['downtime']>, m: Markup): string {
  return `${m.text(`${formatElapsed(d.durationMs)}, from the legacy services' stop (${d.startUtc}) to the Persistent Chat services' start (${d.endUtc})`)}, ${d.insideWindow ? 'inside the window' : m.strong('outside the window')}.`
}

/** The downtime taken: one sentence, or, after a rollback and a re-apply, how many times and
 * in all (the journal's attempts, each listed with attemptSentence). */
export function downtimesSentence(r: Report, m: Markup): string {
  if (r.downtimes.length <= 1 && r.downtime !== undefined) return downtimeSentence(r.downtime, m)
  const total = r.downtimes.reduce((a, x) => a + (x.durationMs ?? 0), 0)
  return m.text(`${r.downtimes.length} times, ${formatElapsed(total)} in all (the journal's record: a rollback ended one and apply began another); the last ${r.downtime === undefined ? 'has not ended' : r.downtime.insideWindow ? 'inside the window' : 'outside the window'}:`)
}

/** The cutover steps that have both started and ended: what a timeline can draw. */
export function timelineSteps(r: Report): readonly (ReportStep & { readonly startedAt: string; readonly endedAt: string })[] {
  return r.steps.flatMap((s) => (s.phase === 'cutover' && s.startedAt !== undefined && s.endedAt !== undefined ? [{ ...s, startedAt: s.startedAt, endedAt: s.endedAt }] : []))
}

/** Which content the export brought, as verification found it (older files do not say). */
function contentPhrase(c: ContentSeen | undefined): string {
  if (c === undefined) return 'since the cutoff'
  switch (c.kind) {
    case 'no-cutoff': return 'all content (the plan sets no cutoff)'
    case 'since-cutoff': return `content since the cutoff ${c.cutoff ?? ''} (Export honoured -StartDate${c.olderMessages > 0 ? `; ${c.olderMessages} older messages stayed behind` : ''})`
    case 'all-content': return `all content (Export ignored -StartDate ${c.cutoff ?? ''}: ${c.olderMessages} messages older than the cutoff migrated too)`
  }
}

export function verificationSummary(v: NonNullable<Report['verification']>, m: Markup, marked: string): string {
  return v.differences.length === 0
    ? `Persistent Chat holds what the frozen inventory says it must: ${v.expected.categories} categories, ${v.expected.rooms} rooms, ${v.expected.messages} messages, ${contentPhrase(v.content)} (rooms renamed, moved or skipped as the plan maps them; disabled rooms and categories left out are not expected).`
    : `${m.strong(`${v.differences.length} difference(s)`)} between the frozen inventory and Persistent Chat; they are ${marked}.`
}

export function stepStatus(s: ReportStep, m: Markup): string {
  if (s.markedDone !== undefined) return `${s.status}: ${m.strong(m.text(s.markedDone))}`
  const note = s.approvalNote === undefined ? '' : `: ${m.text(s.approvalNote)}`
  return `${s.status}${s.approvedBy === undefined ? '' : ` (approved by ${m.text(s.approvedBy)}${note})`}`
}

export function decisionWhat(d: JournalEntry): string {
  // An approval names the approver (`--by`) and their note, whoever ran the command.
  const by = typeof d.detail?.by === 'string' ? ` by ${d.detail.by}` : ''
  const note = typeof d.detail?.note === 'string' ? `: ${d.detail.note}` : ''
  return `${d.event}${d.outcome === undefined ? '' : ` (${d.outcome})`}${by}${note}`
}

/** A difference no room row shows (a category, a room that should not be there). */
export function otherDifference(d: Difference, m: Markup): string {
  return `${d.kind}: ${m.text(d.name)} (expected ${m.text(String(d.expected))}, found ${m.text(String(d.actual))})`
}

/** An instant in the plan's zone, to the second, beside which the report keeps the UTC. */
export function localTime(iso: string, zone: string): string {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return ''
  return `${formatLocal(ms, zone)}:${new Date(ms).toISOString().slice(17, 19)}`
}

/** `cutover 0.1.0; run by root@vm`: who and what wrote the records. */
export function writtenBySentence(r: Report, m: Markup): string {
  return `cutover ${m.text(r.cutoverVersion)}; run by ${r.operators.length === 0 ? 'nobody yet (no apply recorded)' : r.operators.map((o) => m.strong(m.text(o))).join(', ')}.`
}

/** Whether the applies were checked against a reviewed plan (apply --reviewed): one sentence
 * when every apply says the same, else one per apply. */
export function reviewedSentences(r: Report, m: Markup): string[] {
  const plan = (a: Report['reviewed'][number]) => `${m.strong(m.text((a.sha256 ?? '').slice(0, 12)))} (${m.text(a.file ?? '')}, sha256 ${m.text(a.sha256 ?? '')})`
  const first = r.reviewed[0]
  if (first === undefined) return []
  const applies = r.reviewed.length === 1 ? 'the apply' : `every apply (${r.reviewed.length})`
  if (r.reviewed.every((a) => a.outcome === first.outcome && a.sha256 === first.sha256)) {
    if (first.outcome === 'none') return [`none given: ${r.reviewed.length === 1 ? 'the apply was not' : 'no apply was'} checked against a reviewed plan (apply --reviewed).`]
    if (first.outcome === 'matched') return [`${applies} matched the reviewed plan ${plan(first)}.`]
  }
  return r.reviewed.map((a) => `${m.text(a.at)}, ${m.text(a.by)}: ${a.outcome === 'matched' ? `matched the reviewed plan ${plan(a)}` : a.outcome === 'refused' ? `stopped before ${m.text(a.step ?? 'a step')}: what was left to run differed from the reviewed plan ${plan(a)}` : 'no reviewed plan given'}.`)
}

/** Which clock the times are on, when it is not the real one. */
export function clockNote(r: Report): string | undefined {
  if (r.clock === 'lab') return "Times are the lab emulator's clock, which starts at the opening of the downtime window: not the wall clock."
  if (r.clock === 'set') return 'Times are on the clock set with CUTOVER_CLOCK (a rehearsal or a test): not the wall clock.'
  return undefined
}

/** One downtime attempt: how long, from when to when (in the zone and UTC), how it ended. */
export function attemptSentence(a: Report['downtimes'][number], zone: string, m: Markup): string {
  const at = (iso: string) => `${localTime(iso, zone)} (${iso})`
  const how = a.outcome === 'completed' ? `Persistent Chat started ${at(a.endUtc ?? '')}` : a.outcome === 'rolled-back' ? `ended by a rollback ${at(a.endUtc ?? '')}` : 'still open: Persistent Chat has not been started'
  return m.text(`${a.durationMs === undefined ? 'open' : formatElapsed(a.durationMs)}: legacy services stopped ${at(a.startUtc)}, ${how}${a.rolledBackAt === undefined ? '' : `; rolled back afterwards ${at(a.rolledBackAt)}`}`)
}

/** Names shown per group of what stayed behind; the JSON report has every one. */
const NAMES_SHOWN = 50

/** The messages older than the cutoff in the rooms exported: how many, in which rooms (each with
 * its count); or, when verification found that Export ignored -StartDate, that they migrated. */
function olderLine(r: Report, cutoff: string, m: Markup, names: (rooms: readonly RoomBehind[], counted: boolean) => string): string {
  const older = r.stayedBehind.olderMessages
  const title = m.strong(m.text(`Messages older than ${cutoff}`))
  if (older === undefined) return `${title}: not exported (Export -StartDate).`
  if (older.rooms.length === 0) return `${title}: none in the rooms exported; every message there is since the cutoff.`
  const count = `${older.messages.toLocaleString('en-US')} message${older.messages === 1 ? '' : 's'} in ${older.rooms.length} room${older.rooms.length === 1 ? '' : 's'}`
  return r.verification?.content?.kind === 'all-content'
    ? `${title}: ${count}, exported all the same: verification found that Export ignored -StartDate, so they migrated: ${names(older.rooms, true)}`
    : `${title}: ${count}, not exported (Export -StartDate): ${names(older.rooms, true)}`
}

/** The lines of "What stayed behind", each one fact with its counts and names. */
export function stayedBehindLines(r: Report, m: Markup): string[] {
  const b = r.stayedBehind
  const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`
  const names = (rooms: readonly { path: readonly string[]; source: string; messages: number }[], counted = false) => {
    const shown = rooms.slice(0, NAMES_SHOWN).map((x) => `'${x.path.join('/')}' (${x.source}${counted ? `: ${x.messages.toLocaleString('en-US')}` : ''})`).join(', ')
    return m.text(`${shown}${rooms.length > NAMES_SHOWN ? ` and ${rooms.length - NAMES_SHOWN} more (report --format json lists them)` : ''}`)
  }
  const group = (title: string, rooms: readonly { path: readonly string[]; source: string; messages: number }[]) =>
    rooms.length === 0 ? [] : [`${m.strong(m.text(title))}: ${n(rooms.length, 'room')}, ${n(rooms.reduce((a, x) => a + x.messages, 0), 'message')}: ${names(rooms)}`]
  const lines = [
    b.cutoff === undefined ? 'No cutoff: every message was exported.' : olderLine(r, b.cutoff, m, names),
    ...b.leftOut.map((c) => `${m.strong(m.text(`Category '${c.path.join('/')}' (${c.source}) left out of the export`))} (export: false), with ${n(c.rooms.length, 'room')} and ${n(c.rooms.reduce((a, x) => a + x.messages, 0), 'message')}${c.rooms.length === 0 ? '' : `: ${names(c.rooms)}`}`),
    ...group('Disabled in Group Chat, not exported', b.disabled),
    ...group('Skipped (imported, then removed)', b.skipped),
    ...group('Migrated, then disabled by the plan', b.disabledAfter),
  ]
  if (b.unknownSources.length > 0) lines.push(m.text(`No inventory was recorded for ${b.unknownSources.join(', ')}: its rooms are not listed (the preflight takes it).`))
  return lines
}

/** A warning once, with the steps that recorded it. */
export function warningOnceLine(w: Report['warningsOnce'][number], m: Markup, code: (id: string) => string): string {
  return `${m.text(w.message)} (${w.steps.map(code).join(', ')})`
}
