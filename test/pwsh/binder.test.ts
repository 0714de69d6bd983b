/**
 * The stubs' binder can fail: a call the real cmdlet would refuse is refused by pwsh itself,
 * from the page's parameter sets, and the script reports it in its result line. Each case is a
 * rendered script of the lab plan with one Command changed the way a bug in cutover would.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Command, ParamValue } from '../../runner/core/command.js'
import { renderScript } from '../../runner/runtimes/powershell/script.js'
import { loadPlan, renderPlan } from '../render/rendered.js'
import { pwshForSuite } from './locate.js'
import { prepareStubs, runScripts } from './stub-run.js'
import type { ScriptRun, StubDir } from './stub-run.js'

const PLAN = 'plans/lab.yaml'

/** The lab plan's script that runs `cmdlet`, with that Command's params changed by `edit`. */
function scriptWith(cmdlet: string, edit: (params: readonly (readonly [string, ParamValue])[]) => (readonly [string, ParamValue])[]): string {
  const plan = loadPlan(PLAN)
  const found = renderPlan(PLAN).find((s) => s.commands.some((c) => c.cmdlet === cmdlet))
  if (found === undefined) throw new Error(`${PLAN} renders no ${cmdlet}`)
  const commands = found.commands.map((c): Command => (c.cmdlet === cmdlet ? { ...c, params: edit(c.params) } : c))
  return renderScript(found.step, plan, commands)
}

const rename = (from: string, to: string) => (params: readonly (readonly [string, ParamValue])[]) => params.map(([n, v]): readonly [string, ParamValue] => [n === from ? to : n, v])

const CASES: readonly { readonly name: string; readonly text: () => string; readonly error: RegExp }[] = [
  { name: 'as rendered', text: () => scriptWith('Set-CsPersistentChatRoom', (p) => [...p]), error: /^$/ },
  { name: 'a misspelt parameter', text: () => scriptWith('New-CsPersistentChatEndpoint', rename('DisplayName', 'DisplayNme')), error: /A parameter cannot be found that matches parameter name 'DisplayNme'/ },
  {
    name: 'a Boolean passed as a switch',
    text: () => scriptWith('Set-CsPersistentChatRoom', (p) => [...p.filter(([n]) => n !== 'Disabled'), ['Disabled', { switch: true }]]),
    error: /Missing an argument for parameter 'Disabled'\. Specify a parameter of type 'System\.Boolean'/,
  },
  { name: 'a missing mandatory parameter', text: () => scriptWith('New-CsPersistentChatEndpoint', (p) => p.filter(([n]) => n !== 'SipAddress')), error: /missing mandatory parameters: SipAddress/ },
  { name: 'a value of the wrong type', text: () => scriptWith('Import-CsPersistentChatData', (p) => p.filter(([n]) => n !== 'FileName').concat([['ByteInput', 'AAAA']])), error: /Cannot convert value "AAAA" to type "System\.Byte\[\]"/ },
  { name: 'two parameter sets at once', text: () => scriptWith('Import-CsPersistentChatData', (p) => [...p, ['ByteInput', 65]]), error: /Parameter set cannot be resolved/ },
]

describe('the stub binder refuses what the real cmdlet would', () => {
  const pwsh = pwshForSuite('test/pwsh/binder.test.ts')
  if (pwsh === undefined) return
  let dir = ''
  let stubs: StubDir
  let runs: ScriptRun[] = []
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cutover-binder-'))
    stubs = prepareStubs(dir)
    runs = runScripts(pwsh, stubs, CASES.map((c, i) => ({ name: `case-${String(i)}.ps1`, text: c.text() })))
  }, 300_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', (name, i) => {
    const run = runs[i]
    const error = CASES[i]?.error ?? /never/
    if (name === 'as rendered') {
      expect(run?.result?.ok, run?.result?.error).toBe(true)
    } else {
      expect(run?.result?.ok).toBe(false)
      expect(run?.result?.error ?? '').toMatch(error)
    }
  })
})
