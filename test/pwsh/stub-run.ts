/**
 * Runs rendered scripts in the real pwsh against the generated Lync stub module
 * (test/pwsh/stubs): one pwsh process for a whole list (driver.ps1), every stub call recorded as
 * NDJSON (what each parameter received, with its .NET type), and each script's printed lines.
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ParamValue } from '../../runner/core/command.js'
import { RESULT_MARKER } from '../../runner/runtimes/powershell/protocol.js'
import { parseScriptResult } from '../../runner/runtimes/powershell/result-line.js'
import type { ScriptResult } from '../../runner/runtimes/powershell/protocol.js'
import { generateStubModule } from './stubs/generate.js'

const STUBS = join(import.meta.dirname, 'stubs')
const BOM = '\uFEFF'

/** A value as the stub recorded it: cutover's ParamValue shape, and the .NET type pwsh bound. */
export interface RecordedParam { readonly type: string; readonly value: ParamValue }
export interface RecordedCall {
  readonly script: string
  readonly computer: string | null
  readonly cmdlet: string
  readonly set: string
  readonly params: Readonly<Record<string, RecordedParam>>
}
export interface ScriptRun {
  readonly script: string
  readonly lines: readonly string[]
  /** The script's result line, parsed; undefined when it printed none. */
  readonly result: ScriptResult | undefined
  readonly calls: readonly RecordedCall[]
}

export interface StubDir { readonly dir: string; readonly module: string; readonly cmdlets: number }

/** Writes the generated module, the shims and the driver into dir. */
export function prepareStubs(dir: string): StubDir {
  mkdirSync(dir, { recursive: true })
  const { text, cmdlets } = generateStubModule()
  const module = join(dir, 'Lync.psm1')
  writeFileSync(module, BOM + text)
  for (const f of ['shims.ps1', 'driver.ps1']) copyFileSync(join(STUBS, f), join(dir, f))
  return { dir, module, cmdlets: cmdlets.length }
}

/** Runs each script (in order) in one pwsh; `env` adds e.g. CUTOVER_STUB_LAB. */
export function runScripts(pwsh: string, stubs: StubDir, scripts: readonly { readonly name: string; readonly text: string }[], env: NodeJS.ProcessEnv = {}, cwd = stubs.dir): ScriptRun[] {
  const scriptsDir = join(stubs.dir, `scripts-${Math.random().toString(36).slice(2)}`)
  mkdirSync(scriptsDir)
  const paths = scripts.map((s) => join(scriptsDir, s.name))
  scripts.forEach((s, i) => writeFileSync(paths[i] ?? '', BOM + s.text))
  const list = join(scriptsDir, 'list.txt')
  writeFileSync(list, paths.join('\n'))
  const record = join(scriptsDir, 'calls.ndjson')
  const r = spawnSync(pwsh, ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', join(stubs.dir, 'driver.ps1'), stubs.module, join(stubs.dir, 'shims.ps1'), list], {
    cwd, encoding: 'utf8', timeout: 600_000, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, CUTOVER_STUB_RECORD: record, ...env },
  })
  if (r.error !== undefined) throw r.error
  if (r.status !== 0) throw new Error(`pwsh driver exited ${String(r.status)}: ${r.stderr}`)
  const calls = existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as RecordedCall) : []
  const runs = r.stdout.split(/\r?\n/).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { script: string; lines: string[] | string | null })
  return runs.map((run) => {
    const lines = Array.isArray(run.lines) ? run.lines : run.lines === null ? [] : [run.lines]
    const resultLine = lines.find((l) => l.startsWith(RESULT_MARKER))
    return { script: run.script, lines, result: resultLine === undefined ? undefined : parseScriptResult(resultLine.slice(RESULT_MARKER.length)), calls: calls.filter((c) => c.script === run.script) }
  })
}
