/**
 * What `cutover plan` says around the scripts (child process, all three formats): the steps in
 * the procedure's order, their statuses from the state, the downtime window, the forecast. The
 * three formats say the same.
 */
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { labCase } from '../helpers/lab.js'
import { CLOCK, EXAMPLES, preview, previewJson } from './previews.js'
import type { PreviewJson } from './previews.js'

const CONTOSO = 'plans/contoso-lync2010.yaml'

/** The documented procedure, for one source: each of these before the next (the mappings once
 * the services run again). A step id is the name, or the name and a source (`cutover.export.hq`);
 * the steps from the endpoint to verify are the last ones of their name (with several sources,
 * each but the last also starts the services and applies its mappings after its own import). */
const PROCEDURE = ['preflight.inventory', 'preflight.target', 'preflight.lint', 'prepare.workdir', 'cutover.stop-legacy', 'cutover.backup-legacy', 'cutover.inventory', 'cutover.export',
  'cutover.stop-target', 'cutover.backup-target', 'cutover.import-whatif', 'cutover.import', 'cutover.filestore', 'cutover.lookup-account', 'cutover.endpoint',
  'cutover.start-target', 'cutover.mappings', 'cutover.verify', 'decommission.', 'post.enable-clients', 'post.report']
const ONCE = new Set(['cutover.lookup-account', 'cutover.endpoint', 'cutover.start-target', 'cutover.mappings', 'cutover.verify'])
const named = (id: string, name: string) => (name.endsWith('.') ? id.startsWith(name) : ONCE.has(name) ? id === name : id === name || id.startsWith(`${name}.`))

const PHASES = ['preflight', 'prepare', 'cutover', 'post']

/** Step ids in the order the text format lists them (`[status] id (phase)`). */
const textSteps = (text: string): { status: string; id: string }[] => [...text.matchAll(/^\[([a-z-]+)\] (\S+) \(/gm)].map((m) => ({ status: m[1] ?? '', id: m[2] ?? '' }))
const markdownSteps = (md: string): string[] => [...md.matchAll(/^\| \S+ \| `([^`]+)` \|/gm)].map((m) => m[1] ?? '')

describe('the preview around the scripts', () => {
  it('lists the steps in the procedure\'s order and its phases in order, the same in the three formats', async () => {
    for (const file of EXAMPLES) {
      const p = await previewJson(file)
      const ids = p.steps.map((s) => s.id)
      const at = PROCEDURE.map((name) => ids.findIndex((id) => named(id, name)))
      expect(at.every((i) => i >= 0), `${file} has every step of the procedure`).toBe(true)
      expect([...at].sort((a, b) => a - b), `${file}: in the procedure's order`).toEqual(at)
      const phases = p.steps.map((s) => PHASES.indexOf(s.phase))
      expect([...phases].sort((a, b) => a - b), `${file}: phases in order`).toEqual(phases)
      expect(textSteps(await preview(file, 'text')).map((s) => s.id), file).toEqual(ids)
      expect(markdownSteps(await preview(file, 'markdown')), file).toEqual(ids)
    }
  })

  it('shows every step pending without a state, and done or pending once the lab ran part of the plan', async () => {
    const fresh = await previewJson(CONTOSO)
    expect(new Set(fresh.steps.map((s) => s.status))).toEqual(new Set(['pending']))
    expect(fresh.remaining).toBe(fresh.steps.length)
    expect(await preview(CONTOSO, 'markdown')).toContain(`**${String(fresh.steps.length)}** of ${String(fresh.steps.length)} steps remain to run.`)

    const c = await labCase()
    const until = 'cutover.export.gc2010'
    expect((await runCli(['apply', c.planFile, '--yes', '--quiet', '--until', until], { cwd: c.dir })).code).toBe(3)
    const r = await runCli(['plan', c.planFile, '--format', 'json'], { cwd: c.dir })
    const p = JSON.parse(r.stdout) as PreviewJson
    const upTo = p.steps.findIndex((s) => s.id === until)
    expect(p.steps.map((s) => s.status)).toEqual(p.steps.map((_, i) => (i <= upTo ? 'done' : 'pending')))
    expect(p.remaining).toBe(p.steps.length - upTo - 1)
    const text = (await runCli(['plan', c.planFile], { cwd: c.dir })).stdout
    expect(textSteps(text)).toEqual(p.steps.map((s) => ({ status: s.status, id: s.id })))
    expect(text).toContain(`${String(p.remaining)} of ${String(p.steps.length)} steps remain to run`)
  })

  it('states the window in its zone and in UTC, the last start, and how long until it opens, in every format', async () => {
    const p = await previewJson(CONTOSO)
    // 2026-12-05 22:00 in New York is 03:00 UTC (EST, UTC-5); the clock is 2026-12-01T12:00Z.
    expect(p.window).toMatchObject({ timezone: 'America/New_York', startLocal: '2026-12-05 22:00', endLocal: '2026-12-06 06:00', startUtc: '2026-12-06T03:00:00.000Z', endUtc: '2026-12-06T11:00:00.000Z', lastStartUtc: '2026-12-06T10:30:00.000Z', margin: '30m', state: 'before' })
    expect(p.window.opensInMinutes).toBe((Date.parse(p.window.startUtc) - Date.parse(CLOCK.CUTOVER_CLOCK)) / 60_000)
    const zone = `${p.window.startLocal} to ${p.window.endLocal} ${p.window.timezone} (${p.window.startUtc} to ${p.window.endUtc} UTC), margin ${p.window.margin}`
    expect(await preview(CONTOSO, 'text')).toContain(`downtime window: ${zone}: opens in ${String(p.window.opensInMinutes)} min\nlast start of a cutover step: ${p.window.lastStartUtc}\n`)
    const md = await preview(CONTOSO, 'markdown')
    expect(md).toContain(`**Downtime window:** ${zone}; cutover steps start no later than ${p.window.lastStartUtc}. Now: **before**, opens in ${String(p.window.opensInMinutes)} min.`)
    // The gantt chart: the window bar, then the cutover steps one after the other from its start.
    const gantt = /```mermaid\n(gantt[\s\S]*?)```/.exec(md)?.[1] ?? ''
    expect(gantt).toContain('  downtime window :active, window, 2026-12-06T03:00, 480m\n')
    const bars = [...gantt.matchAll(/^ {2}(\S+) :s(\d+), (?:2026-12-06T03:00|after s(\d+)), (\d+)m$/gm)]
    const cutover = p.steps.filter((s) => s.phase === 'cutover')
    expect(bars.map((b) => b[1])).toEqual(cutover.map((s) => s.id))
    expect(bars.map((b) => Number(b[4]))).toEqual(cutover.map((s) => s.forecast?.minutes))
    expect(bars.slice(1).map((b) => Number(b[3]))).toEqual(bars.slice(0, -1).map((b) => Number(b[2])))
  })

  it('forecasts the cutover as the sum of its steps against the window, in every format', async () => {
    const p = await previewJson(CONTOSO)
    const cutover = p.steps.filter((s) => s.phase === 'cutover')
    expect(cutover.every((s) => s.forecast !== undefined)).toBe(true)
    expect(p.steps.filter((s) => s.phase !== 'cutover' && s.forecast !== undefined)).toEqual([])
    const minutes = cutover.reduce((a, s) => a + (s.forecast?.minutes ?? 0), 0)
    expect(p.forecast).toEqual({ minutes, allowedMinutes: (Date.parse(p.window.endUtc) - Date.parse(p.window.startUtc)) / 60_000, fits: true })
    const hm = (m: number): string => `${String(Math.floor(m / 60))}h${String(m % 60).padStart(2, '0')}`
    const line = `Forecast: the cutover steps take about ${hm(minutes)} of the ${hm(p.forecast.allowedMinutes)} window.`
    expect(await preview(CONTOSO, 'text')).toContain(`\n${line}\n`)
    expect(await preview(CONTOSO, 'markdown')).toContain(`\n${line}\n`)
  })
})
