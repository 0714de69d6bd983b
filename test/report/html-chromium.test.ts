import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { TestContext } from 'vitest'
import { ROOT, runCli } from '../helpers/cli.js'
import { labCase } from '../helpers/lab.js'
import { dumpDom, findChromium, inspectPage } from './chromium.js'
import type { ChromiumLookup } from './chromium.js'
import { decodeHtml } from './html-outline.js'
import { pngFacts } from './png.js'

const ARTIFACTS = join(ROOT, 'test-artifacts')
const HOSTILE_NAME = 'release <b>train</b> &amp; <img src=x onerror=console.error(1)>'
const chromium: ChromiumLookup = findChromium()
// CI (.ci/run) installs chromium: there a missing one is a broken machine, not a reason to skip.
const required = process.env.CI === 'true'
if ('reason' in chromium) console.warn(`html-chromium.test.ts: ${required ? 'FAILS (CI=true)' : 'skipped'}: ${chromium.reason}`)

/** The chromium binary; without one, the test fails under CI=true and is skipped (reason shown) elsewhere. */
function browser(ctx: TestContext): string {
  if ('path' in chromium) return chromium.path
  if (required) throw new Error(`chromium is required when CI=true: ${chromium.reason}`)
  ctx.skip(`chromium is not available: ${chromium.reason}`)
  return ''
}

describe('the HTML report in headless Chromium', () => {
  it('a real lab run: renders with no console error and no request, a screenshot, a verification row per room', async (ctx) => {
    const bin = browser(ctx)
    // The lab's own names hold quotes, `<#` and non-ASCII; this rename adds markup that, were it
    // not escaped, would show as bold text and an image the CSP refuses (a console error).
    const c = await labCase({ edit: (t) => t.replace('rename: release-train', `rename: "${HOSTILE_NAME}"`) })
    expect((await runCli(['apply', c.planFile, '--yes', '--quiet'])).code).toBe(0)
    const file = join(c.dir, 'report.html')
    const written = await runCli(['report', c.planFile, '--format', 'html', '--out', file])
    expect(written.code, written.stderr).toBe(0)
    const url = pathToFileURL(file).href

    const page = await inspectPage(bin, url, { screenshot: true })
    expect(page.errors).toEqual([])
    expect(page.requests).toEqual([url]) // the page itself, nothing else, not even attempted
    expect(page.loaded).toEqual([url])
    const png = page.screenshot ?? Buffer.alloc(0)
    mkdirSync(ARTIFACTS, { recursive: true })
    writeFileSync(join(ARTIFACTS, 'report.png'), png)
    const facts = pngFacts(png)
    expect(facts.width).toBeGreaterThanOrEqual(800)
    expect(facts.height).toBeGreaterThan(1500) // the whole page: steps, 16+ rooms, warnings
    expect(facts.distinctBytes).toBeGreaterThan(50) // text, tables and colours, not a blank page
    expect(png.length).toBeGreaterThan(50_000)

    const dom = await dumpDom(bin, url)
    const table = /<table id="verification"[^>]*>([\s\S]*?)<\/table>/.exec(dom)?.[1]
    expect(table, 'the verification table (#verification) is in the DOM').toBeDefined()
    const rows = [...(/<tbody>([\s\S]*?)<\/tbody>/.exec(table ?? '')?.[1] ?? '').matchAll(/<tr class="([^"]*)"[^>]*>\s*<td[^>]*>([\s\S]*?)<\/td>/g)]
    const json = JSON.parse((await runCli(['report', c.planFile, '--format', 'json'])).stdout) as { verification: { rooms: { room: string }[] } }
    expect(rows.map((m) => decodeHtml(m[2] ?? '')).sort()).toEqual(json.verification.rooms.map((r) => r.room).sort())
    expect(rows.length).toBeGreaterThan(10)
    expect(rows.every((m) => m[1] === 'same')).toBe(true)
    // Names with quotes, `<#`, markup and non-ASCII came through as text, not as markup.
    expect(json.verification.rooms.map((r) => r.room)).toContain(HOSTILE_NAME)
    expect(json.verification.rooms.some((r) => /[<'’]/.test(r.room) && /[^ -~]/.test(r.room))).toBe(true)
    expect(dom).not.toMatch(/<img|<b>/)
  })

  it('the checker is not blind: it reports console.error, an uncaught exception, and a refused remote load', async (ctx) => {
    const bin = browser(ctx)
    const dir = (await labCase()).dir
    const scripted = join(dir, 'scripted.html')
    writeFileSync(scripted, '<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title></head><body><p>x</p><script>console.error("deliberate error")</script><script>notDefinedAnywhere()</script></body></html>')
    const bad = await inspectPage(bin, pathToFileURL(scripted).href)
    expect(bad.errors).toEqual(expect.arrayContaining([expect.stringMatching(/^console\.error: deliberate error/), expect.stringMatching(/^exception: ReferenceError: notDefinedAnywhere is not defined/)]))

    // The report's own CSP: a script or a remote image slipped into the page is refused, and said so.
    const page = await reportPage()
    const tampered = join(dir, 'tampered.html')
    writeFileSync(tampered, page.replace('</body>', '<img src="http://127.0.0.1:9/pixel.png" alt=""><script>console.error("injected")</script></body>'))
    const refused = await inspectPage(bin, pathToFileURL(tampered).href)
    expect(refused.errors.some((e) => /Content Security Policy/.test(e) && /pixel\.png|img-src/.test(e))).toBe(true)
    expect(refused.errors.some((e) => /Content Security Policy/.test(e) && /script/i.test(e))).toBe(true)
    expect(refused.errors.some((e) => e.includes('injected'))).toBe(false)
    expect(refused.blocked).toEqual([{ url: 'http://127.0.0.1:9/pixel.png', reason: 'csp' }])
    expect(refused.loaded).toEqual([pathToFileURL(tampered).href])
  })
})

/** A report page without a run: `cutover report` on a fresh lab plan. */
async function reportPage(): Promise<string> {
  const c = await labCase()
  const r = await runCli(['report', c.planFile, '--format', 'html'])
  expect(r.code, r.stderr).toBe(0)
  return r.stdout
}
