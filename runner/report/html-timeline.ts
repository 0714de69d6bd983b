import { formatElapsed, parseDuration } from '../core/time.js'
import { escapeHtml as esc } from './html-escape.js'
import type { Report } from './model.js'
import { timelineSteps } from './phrases.js'

const WIDTH = 1000
const ROW = 18
const BAR = 12
const CHAR = 6.7 // width of one 11px monospace character, to size the label column
const MIN_BAR = 2 // steps of a few milliseconds still show

const at = (iso: string) => Date.parse(iso)
const fixed = (n: number) => (Math.round(n * 10) / 10).toString()

/** A horizontal scale from [t0, t1] onto [x0, x1]. */
function scale(t0: number, t1: number, x0: number, x1: number): (t: number) => number {
  const span = Math.max(1, t1 - t0)
  return (t) => x0 + ((t - t0) / span) * (x1 - x0)
}

function rect(cls: string, x: number, y: number, w: number, h: number, title: string): string {
  return `<rect class="${cls}" x="${fixed(x)}" y="${y}" width="${fixed(Math.max(MIN_BAR, w))}" height="${h}"><title>${esc(title)}</title></rect>`
}

/** The downtime against the whole window: the run usually fills a sliver of it, which is the point. */
function windowTrack(r: Report): string {
  const w = r.window
  const margin = parseDuration(w.margin) ?? 0
  const d = r.downtime
  const t0 = Math.min(at(w.startUtc), d === undefined ? Infinity : at(d.startUtc))
  const t1 = Math.max(at(w.endUtc), d === undefined ? -Infinity : at(d.endUtc))
  const x = scale(t0, t1, 0, WIDTH)
  const parts = [
    rect('track', x(at(w.startUtc)), 14, x(at(w.endUtc)) - x(at(w.startUtc)), 16, `downtime window ${w.startLocal} to ${w.endLocal} ${w.timezone}`),
    rect('margin', x(at(w.endUtc) - margin), 14, x(at(w.endUtc)) - x(at(w.endUtc) - margin), 16, `margin ${w.margin}: no cutover step starts here`),
  ]
  if (d !== undefined) parts.push(rect(`downtime${d.insideWindow ? '' : ' outside-window'}`, x(at(d.startUtc)), 14, x(at(d.endUtc)) - x(at(d.startUtc)), 16, `downtime taken: ${formatElapsed(d.durationMs)}`))
  parts.push(
    `<text class="axis" x="0" y="10">${esc(`${w.startLocal} ${w.timezone}`)}</text>`,
    `<text class="axis" x="${WIDTH}" y="10" text-anchor="end">${esc(w.endLocal)}</text>`,
  )
  return `<svg class="timeline window" viewBox="0 0 ${WIDTH} 34" role="img" aria-label="the downtime taken within the downtime window">${parts.join('')}</svg>`
}

/** One bar per cutover step as it ran, on the scale of the downtime itself. */
function stepBars(r: Report): string {
  const steps = timelineSteps(r)
  const t0 = Math.min(...steps.map((s) => at(s.startedAt)))
  const t1 = Math.max(...steps.map((s) => at(s.endedAt)))
  const label = Math.min(420, Math.max(160, Math.max(...steps.map((s) => s.id.length)) * CHAR + 12))
  const right = WIDTH - 70 // room for the duration after the longest bar
  const x = scale(t0, t1, label, right)
  const top = 16
  const rows = steps.map((s, i) => {
    const y = top + i * ROW
    const took = formatElapsed(at(s.endedAt) - at(s.startedAt))
    const x1 = x(at(s.startedAt))
    const w = x(at(s.endedAt)) - x1
    return `<g class="step">`
      + `<text x="0" y="${y + BAR - 2}">${esc(s.id)}</text>`
      + rect(`bar ${s.status}`, x1, y, w, BAR, `${s.id}: ${s.status}, started ${s.startedAt}, took ${took}`)
      + `<text class="axis" x="${fixed(x1 + Math.max(MIN_BAR, w) + 4)}" y="${y + BAR - 2}">${esc(took)}</text></g>`
  })
  const height = top + steps.length * ROW + 4
  const axis = `<line class="grid" x1="${fixed(label)}" y1="12" x2="${fixed(label)}" y2="${height}"/><line class="grid" x1="${right}" y1="12" x2="${right}" y2="${height}"/>`
    + `<text class="axis" x="${fixed(label)}" y="10">${esc(new Date(t0).toISOString())}</text>`
    + `<text class="axis" x="${right}" y="10" text-anchor="end">${esc(`+${formatElapsed(t1 - t0)}`)}</text>`
  return `<svg class="timeline steps" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="the cutover steps as they ran">${axis}${rows.join('')}</svg>`
}

/** The timeline as inline SVG (no script, no remote load): the window with the downtime taken,
 * then the cutover steps that ran, each where and as long as it ran. */
export function timelineHtml(r: Report): string {
  const window = `<figure>${windowTrack(r)}<figcaption>The downtime window (shaded; the margin at its end in yellow) and the downtime taken (blue; red when outside the window).</figcaption></figure>`
  if (timelineSteps(r).length === 0) return `${window}<p class="muted">No cutover step has run yet.</p>`
  return `${window}<figure>${stepBars(r)}<figcaption>The cutover steps as they ran (UTC), on the scale of the run itself.</figcaption></figure>`
}
