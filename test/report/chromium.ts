/**
 * Headless Chromium for the HTML report's tests: found on the PATH, or explained when it is not
 * there (the tests never install anything). Pages are inspected
 * through the DevTools protocol over `--remote-debugging-pipe` (fds 3 and 4, NUL-delimited JSON),
 * which Node 20 speaks with plain child_process pipes: no WebSocket, no extra package.
 */
import { execFile, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable, Writable } from 'node:stream'

export type ChromiumLookup = { readonly path: string } | { readonly reason: string }

const which = (cmd: string): string | undefined => {
  const r = spawnSync('which', [cmd], { encoding: 'utf8' })
  return r.status === 0 && r.stdout.trim() !== '' ? r.stdout.trim() : undefined
}

/** The `chromium` binary on the PATH, or why there is none. Tests never install it: `.ci/run`
 * does (Debian's package), and an engineer can (README, "Tests"). */
export function findChromium(): ChromiumLookup {
  const found = which('chromium')
  if (found !== undefined) return { path: found }
  return { reason: 'no chromium on the PATH (install Debian\'s chromium: apt-get install chromium; .ci/run does)' }
}

const BASE_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--no-default-browser-check', '--disable-extensions', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/** A throwaway profile, so parallel runs and other engineers' browsers never share one. */
function withProfile<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-chromium-'))
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }))
}

/** The DOM after the page loaded, as `chromium --dump-dom` prints it. */
export function dumpDom(chromium: string, url: string): Promise<string> {
  return withProfile((profile) => new Promise((resolve, reject) => {
    execFile(chromium, [...BASE_ARGS, `--user-data-dir=${profile}`, '--dump-dom', url], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err !== null) reject(new Error(`chromium --dump-dom failed: ${err.message}\n${stderr}`))
      else resolve(stdout)
    })
  }))
}

interface CdpMessage {
  readonly id?: number
  readonly method?: string
  readonly params?: Record<string, unknown>
  readonly result?: Record<string, unknown>
  readonly error?: { readonly message: string }
  readonly sessionId?: string
}

/** The DevTools protocol over the pipe: requests by id, events to one listener. */
class CdpPipe {
  private nextId = 1
  private buffered = Buffer.alloc(0)
  private readonly pending = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>()

  constructor(private readonly out: Writable, input: Readable, private readonly onEvent: (m: CdpMessage) => void) {
    input.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk])
      for (let end = this.buffered.indexOf(0); end >= 0; end = this.buffered.indexOf(0)) {
        const msg = JSON.parse(this.buffered.subarray(0, end).toString('utf8')) as CdpMessage
        this.buffered = this.buffered.subarray(end + 1)
        this.dispatch(msg)
      }
    })
    input.on('close', () => this.failAll(new Error('chromium closed the DevTools pipe')))
  }

  private dispatch(msg: CdpMessage): void {
    if (msg.id === undefined) {
      this.onEvent(msg)
      return
    }
    const p = this.pending.get(msg.id)
    this.pending.delete(msg.id)
    if (msg.error !== undefined) p?.reject(new Error(`DevTools: ${msg.error.message}`))
    else p?.resolve(msg.result ?? {})
  }

  failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e)
    this.pending.clear()
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new Error(`DevTools: no answer to ${method} within ${timeoutMs} ms`))
      }, timeoutMs)
      this.pending.set(id, {
        resolve: (r) => { clearTimeout(timer); resolve(r) },
        reject: (e) => { clearTimeout(timer); reject(e) },
      })
      this.out.write(JSON.stringify({ id, method, params, ...(sessionId === undefined ? {} : { sessionId }) }) + '\0')
    })
  }
}

export interface PageInspection {
  /** Uncaught exceptions, console.error/assert calls, and browser log errors (CSP refusals,
   * failed loads), one line each. */
  readonly errors: readonly string[]
  /** Every URL the page asked for, the page itself included, loaded or not. */
  readonly requests: readonly string[]
  /** Requests the browser refused before they left, with why (`csp`, ...). */
  readonly blocked: readonly { readonly url: string; readonly reason: string }[]
  /** URLs a response came back for. */
  readonly loaded: readonly string[]
  /** A PNG of the whole page, when asked for. */
  readonly screenshot?: Buffer
}

const str = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v) ?? String(v))

/** What a page's console and network saw while it loaded and settled; optionally a full-page
 * screenshot. Rejects when Chromium does not start, answer or load the page in time. */
export function inspectPage(chromium: string, url: string, opts: { readonly screenshot?: boolean; readonly settleMs?: number } = {}): Promise<PageInspection> {
  return withProfile(async (profile) => {
    const child = spawn(chromium, [...BASE_ARGS, `--user-data-dir=${profile}`, '--remote-debugging-pipe', '--window-size=1280,900', 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    const errors: string[] = []
    const requests: string[] = []
    const urls = new Map<string, string>()
    const blocked: { url: string; reason: string }[] = []
    const loaded: string[] = []
    let session: string | undefined
    let onLoad: (() => void) | undefined
    const [, , , toChrome, fromChrome] = child.stdio as unknown as [null, null, Readable, Writable, Readable]
    const cdp = new CdpPipe(toChrome, fromChrome, (m) => {
      if (m.sessionId !== session || session === undefined) return
      const p = m.params ?? {}
      if (m.method === 'Runtime.exceptionThrown') {
        const d = p.exceptionDetails as { text?: string; exception?: { description?: string } } | undefined
        errors.push(`exception: ${d?.exception?.description ?? d?.text ?? 'unknown'}`)
      } else if (m.method === 'Runtime.consoleAPICalled' && (p.type === 'error' || p.type === 'assert')) {
        const args = (p.args as readonly { value?: unknown; description?: string }[] | undefined) ?? []
        errors.push(`console.${String(p.type)}: ${args.map((a) => a.description ?? str(a.value)).join(' ')}`)
      } else if (m.method === 'Log.entryAdded') {
        const e = p.entry as { level?: string; text?: string; url?: string; source?: string } | undefined
        if (e?.level === 'error') errors.push(`log (${e.source ?? '?'}): ${e.text ?? ''}${e.url === undefined ? '' : ` [${e.url}]`}`)
      } else if (m.method === 'Network.requestWillBeSent') {
        const u = str((p.request as { url?: unknown } | undefined)?.url)
        requests.push(u)
        urls.set(str(p.requestId), u)
      } else if (m.method === 'Network.loadingFailed' && p.blockedReason !== undefined) {
        blocked.push({ url: urls.get(str(p.requestId)) ?? '?', reason: str(p.blockedReason) })
      } else if (m.method === 'Network.responseReceived') {
        loaded.push(str((p.response as { url?: unknown } | undefined)?.url))
      } else if (m.method === 'Page.loadEventFired') {
        onLoad?.()
      }
    })
    child.once('error', (e) => cdp.failAll(e))
    try {
      const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' })
      session = str((await cdp.send('Target.attachToTarget', { targetId, flatten: true })).sessionId)
      for (const domain of ['Runtime', 'Log', 'Network', 'Page']) await cdp.send(`${domain}.enable`, {}, session)
      const load = new Promise<void>((resolve, reject) => {
        onLoad = resolve
        setTimeout(() => reject(new Error(`${url} did not finish loading within 30 s`)), 30_000).unref()
      })
      const nav = await cdp.send('Page.navigate', { url }, session)
      if (nav.errorText !== undefined) throw new Error(`chromium could not open ${url}: ${str(nav.errorText)}`)
      await load
      // Errors from timers or late scripts arrive after the load event.
      await new Promise((r) => setTimeout(r, opts.settleMs ?? 300))
      let screenshot: Buffer | undefined
      if (opts.screenshot === true) {
        const metrics = await cdp.send('Page.getLayoutMetrics', {}, session)
        const size = metrics.cssContentSize as { width: number; height: number }
        const shot = await cdp.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip: { x: 0, y: 0, width: Math.ceil(size.width), height: Math.ceil(size.height), scale: 1 } }, session, 60_000)
        screenshot = Buffer.from(str(shot.data), 'base64')
      }
      return { errors, requests, blocked, loaded, ...(screenshot === undefined ? {} : { screenshot }) }
    } catch (e) {
      throw new Error(`${(e as Error).message}\nchromium stderr:\n${stderr.slice(-4000)}`, { cause: e })
    } finally {
      await cdp.send('Browser.close', {}, undefined, 5_000).catch(() => undefined)
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    }
  })
}
