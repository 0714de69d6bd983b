/**
 * Every script every plan renders (plans/, the hostile plan, the good corpus) runs in the real
 * pwsh against the generated Lync stub module, and each value arrives at the cmdlet byte for
 * byte as the Command held it: the four extra single quotes, $(...), backticks, newlines,
 * 256-character and non-ASCII names. pwsh's binder also checks every call against the pages.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Command, ParamValue } from '../../runner/core/command.js'
import { parseIsoDate } from '../../runner/lab/ticks.js'
import { HOSTILE_PLAN, PLAN_FILES, loadPlan, planStrings, renderPlan } from '../render/rendered.js'
import type { RenderedScript } from '../render/rendered.js'
import { pwshForSuite } from './locate.js'
import { prepareStubs, runScripts } from './stub-run.js'
import type { RecordedCall, ScriptRun, StubDir } from './stub-run.js'

/** The calls a script must make, in order: the preamble's Import-Module, then per Command its
 * Invoke-Command when it runs on another computer, and the cmdlet itself. */
function expectedCalls(s: RenderedScript): { cmdlet: string; params: [string, ParamValue][]; computer: string | null }[] {
  const module = [{ cmdlet: 'Import-Module', params: [['Name', [lyncModuleOf(s)]]] as [string, ParamValue][], computer: null }]
  return [...module, ...s.commands.flatMap((c: Command) => [
    ...(c.computer === undefined ? [] : [{ cmdlet: 'Invoke-Command', params: [['ComputerName', [c.computer]]] as [string, ParamValue][], computer: null }]),
    { cmdlet: c.cmdlet, params: c.params.map(([n, v]) => [n, v] as [string, ParamValue]), computer: c.computer ?? null },
  ])]
}

let plans: Map<string, string> = new Map()
function lyncModuleOf(s: RenderedScript): string {
  return plans.get(s.plan) ?? ''
}

/** Compares what pwsh bound with what the Command held; dates by the instant they name. */
function sameValue(expected: ParamValue, recorded: ParamValue, type: string): boolean {
  if (typeof expected === 'string' && type === 'System.String[]') return JSON.stringify([expected]) === JSON.stringify(recorded)
  if (typeof expected === 'object' && !Array.isArray(expected) && 'date' in expected) {
    return typeof recorded === 'object' && !Array.isArray(recorded) && 'date' in recorded && parseIsoDate(expected.date) === parseIsoDate(recorded.date.replace(/\.\d+$/, ''))
  }
  if (typeof expected === 'object' && !Array.isArray(expected) && 'addRemove' in expected) {
    const want = { ...(expected.addRemove.add === undefined || expected.addRemove.add.length === 0 ? {} : { add: expected.addRemove.add }), ...(expected.addRemove.remove === undefined || expected.addRemove.remove.length === 0 ? {} : { remove: expected.addRemove.remove }) }
    return JSON.stringify({ addRemove: want }) === JSON.stringify(recorded)
  }
  return JSON.stringify(expected) === JSON.stringify(recorded)
}

function mismatches(s: RenderedScript, run: ScriptRun): string[] {
  const want = expectedCalls(s)
  const got = run.calls
  const out: string[] = []
  if (got.map((c) => c.cmdlet).join(',') !== want.map((c) => c.cmdlet).join(',')) return [`${run.script}: calls ${got.map((c) => c.cmdlet).join(',')} instead of ${want.map((c) => c.cmdlet).join(',')}`]
  want.forEach((w, i) => {
    const call = got[i] as RecordedCall
    if (w.computer !== call.computer) out.push(`${run.script} ${w.cmdlet}: on ${String(call.computer)}, not ${String(w.computer)}`)
    for (const [name, value] of w.params) {
      const rec = call.params[name]
      if (rec === undefined) out.push(`${run.script} ${w.cmdlet} -${name}: not received`)
      else if (!sameValue(value, rec.value, rec.type)) out.push(`${run.script} ${w.cmdlet} -${name}: received ${JSON.stringify(rec.value)} (${rec.type}), sent ${JSON.stringify(value)}`)
    }
    if (w.cmdlet !== 'Import-Module' && w.cmdlet !== 'Invoke-Command') {
      const extra = Object.keys(call.params).filter((n) => !w.params.some(([p]) => p.toLowerCase() === n.toLowerCase()))
      if (extra.length > 0) out.push(`${run.script} ${w.cmdlet}: bound ${extra.join(', ')} that the Command does not hold`)
    }
  })
  return out
}

describe('every rendered script in pwsh against the Lync stub module', () => {
  const pwsh = pwshForSuite('test/pwsh/hostile.test.ts')
  if (pwsh === undefined) return
  let dir = ''
  let stubs: StubDir
  let scripts: RenderedScript[] = []
  let runs: ScriptRun[] = []
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cutover-stubs-'))
    stubs = prepareStubs(dir)
    plans = new Map(PLAN_FILES.map((f) => [f, loadPlan(f).environment.lyncModule ?? '']))
    scripts = PLAN_FILES.flatMap((f) => renderPlan(f))
    runs = runScripts(pwsh, stubs, scripts.map((s, i) => ({ name: `script-${String(i).padStart(4, '0')}.ps1`, text: s.text })))
  }, 600_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('runs each script to its result line, ok, with every call bound by the stubs', () => {
    expect(runs).toHaveLength(scripts.length)
    const failed = runs.filter((r) => r.result?.ok !== true).map((r) => `${r.script}: ${r.result?.error ?? r.lines.slice(-3).join(' | ')}`)
    expect(failed).toEqual([])
    const calls = runs.reduce((n, r) => n + r.calls.length, 0)
    console.info(`pwsh: ${String(runs.length)} scripts run, ${String(calls)} calls bound against ${String(stubs.cmdlets)} generated stubs`)
  })

  it('each parameter receives exactly the value the Command held', () => {
    expect(runs).toHaveLength(scripts.length)
    const problems = runs.flatMap((r, i) => mismatches(scripts[i] as RenderedScript, r))
    expect(problems).toEqual([])
  })

  it('the hostile plan\'s free-text values arrive byte for byte', () => {
    const received = new Set(runs.flatMap((r) => r.calls.flatMap((c) => Object.values(c.params).flatMap((p) => {
      const v = p.value
      if (typeof v === 'string') return [v]
      if (Array.isArray(v)) return v as string[]
      if (typeof v === 'object' && 'scriptBlock' in v) return [v.scriptBlock]
      if (typeof v === 'object' && 'addRemove' in v) return [...(v.addRemove.add ?? []), ...(v.addRemove.remove ?? [])]
      return []
    }))))
    const values = new Map(planStrings(loadPlan(HOSTILE_PLAN)))
    const paths = ['environment.lyncModule', 'sources[0].services[0]', 'sources[0].services[1]', 'sources[0].services[2]', 'target.services[0]', 'target.services[1]', 'legacyClients.displayName', 'clients.enablePolicy', 'decommission[3].powershell.script']
    for (const path of paths) expect(received.has(values.get(path) ?? '\u0000'), path).toBe(true)
    const all = [...received].join('\n')
    for (const ch of ['\u2018', '\u2019', '\u201A', '\u201B', '$(Get-Date)', '`whoami`', '\n', '東京']) expect(all.includes(ch), ch).toBe(true)
    expect([...received].some((v) => v.length >= 256 && /[^ -~]/.test(v))).toBe(true)
  })
})
