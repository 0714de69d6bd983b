/**
 * `cutover lab cmdlet --dir D [--base B]`: runs ONE emulated cmdlet against the lab in D and prints its
 * result, for the generated Lync stub module (test/pwsh/stubs): pwsh binds the call with the
 * page's parameter sets, then hands the bound values here, so a stub behaves as the lab does.
 *
 * stdin: {"cmdlet": "...", "params": [{"name": "...", "value": <ParamValue>}], "computer": "..."?}
 * stdout: one line, ASCII only (\u escapes, so no console code page can change it):
 *   {"ok": true, "output": [...], "data": {...}?, "warnings": [...]?} or {"ok": false, "error": "..."}
 * Exit 0 when the cmdlet succeeded, 1 when it failed as the real one would.
 */
import { resolve } from 'node:path'
import type { Command, ParamValue } from '../../core/command.js'
import { UsageError } from '../../core/errors.js'
import { LabEmulator } from '../../lab/index.js'
import { LabHost } from '../../runtimes/lab/host.js'
import { EXIT } from '../../core/errors.js'
import type { ExitCode } from '../../core/errors.js'
import type { Output } from '../output.js'

interface Request {
  readonly cmdlet: string
  readonly params: readonly { readonly name: string; readonly value: ParamValue }[]
  /** Inside Invoke-Command -ComputerName: the computer it runs on. */
  readonly computer?: string
}

function isRequest(value: unknown): value is Request {
  if (typeof value !== 'object' || value === null) return false
  const r = value as { cmdlet?: unknown; params?: unknown }
  return typeof r.cmdlet === 'string' && Array.isArray(r.params) && r.params.every((p: unknown) => typeof p === 'object' && p !== null && typeof (p as { name?: unknown }).name === 'string' && 'value' in p)
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer))
  return Buffer.concat(chunks).toString('utf8')
}

const ascii = (json: string): string => json.replace(/[^\u0020-\u007e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

/** Relative paths in the request are relative to `base` (the plan's folder), else the working directory. */
export async function runLabCmdlet(dir: string | undefined, base: string | undefined, out: Output): Promise<ExitCode> {
  if (dir === undefined) throw new UsageError('lab cmdlet: --dir names the lab folder')
  const text = await readStdin()
  let request: unknown
  try {
    request = JSON.parse(text)
  } catch {
    throw new UsageError('lab cmdlet: stdin is not JSON')
  }
  if (!isRequest(request)) throw new UsageError('lab cmdlet: stdin must be {"cmdlet": "...", "params": [{"name": "...", "value": ...}]}')
  // pwsh binds one string to a String[] parameter (New-Item -Path) as a one-element array; the
  // emulator's binder takes a string wherever it takes an array, so the one value is passed as is.
  const one = (v: ParamValue): ParamValue => (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string' ? (v[0] as string) : v)
  const command: Command = { cmdlet: request.cmdlet, params: request.params.map((p) => [p.name, one(p.value)] as const), ...(typeof request.computer === 'string' ? { computer: request.computer } : {}) }
  const host = new LabHost(new LabEmulator(resolve(dir)), resolve(base ?? process.cwd()))
  try {
    const [result] = await host.run([command], { stepId: 'lab.cmdlet', progress: () => undefined, log: () => undefined })
    out.stdout(ascii(JSON.stringify({ ok: true, ...result })))
    return EXIT.ok
  } catch (error) {
    out.stdout(ascii(JSON.stringify({ ok: false, error: error instanceof Error ? error.message : String(error) })))
    return EXIT.failed
  }
}
