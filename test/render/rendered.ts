import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { compile } from '../../runner/compile/compile.js'
import type { Command } from '../../runner/core/command.js'
import { validatePlanText } from '../../runner/plan/load.js'
import type { Plan } from '../../runner/plan/types.js'
import { captureOf, renderScript } from '../../runner/runtimes/powershell/script.js'
import type { Step } from '../../runner/core/step.js'
import { platformOf } from '../../runner/runtimes/index.js'
import { NOTHING_KNOWN } from '../../runner/steps/define.js'
import { kindNamed } from '../../runner/steps/registry.js'
import { ROOT } from '../helpers/cli.js'

export const HOSTILE_PLAN = 'test/plans/hostile.yaml'

/** Every plan the render tests cover: plans/, the hostile plan, and the good corpus. */
export const PLAN_FILES: readonly string[] = [
  ...readdirSync(join(ROOT, 'plans')).filter((f) => f.endsWith('.yaml')).sort().map((f) => `plans/${f}`),
  HOSTILE_PLAN,
  ...readdirSync(join(ROOT, 'test', 'plans', 'good')).filter((f) => f.endsWith('.yaml')).sort().map((f) => `test/plans/good/${f}`),
]

export function loadPlan(file: string, edit: (text: string) => string = (t) => t): Plan {
  const r = validatePlanText(edit(readFileSync(join(ROOT, file), 'utf8')), file)
  if (r.plan === undefined) throw new Error(`${file} is not valid: ${r.findings.map((f) => f.message).join('; ')}`)
  return r.plan
}

export interface RenderedScript {
  readonly plan: string
  readonly step: Step
  readonly commands: readonly Command[]
  readonly text: string
}

/**
 * Commands some kinds send only at run time (their check, undo, or with a frozen inventory), in
 * the shapes runner/steps builds them, so their scripts are parsed too.
 */
function runTimeCommands(step: Step, plan: Plan): Command[][] {
  const input = step.input as Record<string, unknown>
  switch (step.kind) {
    case 'lookup-account': {
      const sip = String(input.sipAddress)
      return [
        [{ cmdlet: 'Get-CsUser', params: [['Identity', sip]] }],
        [{ cmdlet: 'Enable-CsUser', params: [['Identity', `CN=${sip},OU=Lync's ‘users’`], ['RegistrarPool', plan.target.pool], ['SipAddress', sip]] }],
      ]
    }
    case 'endpoint':
      return [
        [{ cmdlet: 'Get-CsPersistentChatEndpoint', params: [] }],
        [{ cmdlet: 'Remove-CsPersistentChatEndpoint', params: [['Identity', String(input.sipAddress)]] }],
      ]
    case 'stop-legacy':
      return [(input.servers as string[]).map((server) => ({ cmdlet: 'Start-Service', params: [['Name', input.services as string[]]], computer: server }))]
    default:
      return []
  }
}

/** Every script a plan renders: each command step's preview batch (compile → kind.render →
 * renderScript), plus the run-time batches above. */
export function renderPlan(file: string): RenderedScript[] {
  const plan = loadPlan(file)
  const out: RenderedScript[] = []
  for (const step of compile(plan, platformOf(plan))) {
    const kind = kindNamed(step.kind)
    if (kind === undefined) throw new Error(`${file}: unknown kind ${step.kind}`)
    const batches = kind.preview(step, NOTHING_KNOWN, platformOf(plan)).flatMap((a) => (a.type === 'commands' ? [a.commands] : []))
    if (batches.length > 0) batches.push(...runTimeCommands(step, plan))
    for (const commands of batches) out.push({ plan: file, step, commands, text: renderScript(step, plan, commands) })
  }
  return out
}

/** The command nodes a script must hold, by name: its fixed frame, and per Command its cmdlet
 * (inside Invoke-Command when remote) and the function that records its result. */
export const FRAME_COMMANDS: readonly string[] = ['Out-String', 'Test-Path', 'Import-Module', 'ConvertTo-Json', 'Write-Output']

export function expectedCommands(commands: readonly Command[]): string[] {
  const out = [...FRAME_COMMANDS]
  for (const c of commands) {
    out.push(c.cmdlet, 'New-CutoverResult')
    if (c.computer !== undefined) out.push('Invoke-Command')
    const capture = captureOf(c)
    if (capture === 'user') out.push('Get-CutoverUserData')
    if (capture === 'endpoints') out.push('Get-CutoverEndpointData')
    // A probe: its data, and a second New-CutoverResult in its catch.
    if (capture === 'probe') out.push('Get-CutoverProbeData', 'New-CutoverResult')
    if (capture === 'policy') out.push('Get-CutoverPolicyData')
    if (capture === 'services') out.push('Get-CutoverServiceData')
    // Import -WhatIf reads its -Report file back (templates/capture-errors.ps1.hbs).
    if (capture === 'errors' && c.params.some(([n]) => n.toLowerCase() === 'report')) out.push('Test-Path')
  }
  return out.sort()
}

/** The variables and functions of the fixed frame: nothing else may be code in a script. */
export const FRAME_VARIABLES: ReadonlySet<string> = new Set([
  'erroractionpreference', 'progresspreference', 'null', 'true', 'false', '_',
  'cutoverresults', 'cutovererror', 'cutoverfinished', 'cutoverobjects', 'cutoverwarnings', 'cutovererrors',
  'cutoverresult', 'cutoverjson', 'cutoverdata', 'cutoverreport',
  'objects', 'warnings', 'errors', 'data', 'result', 'line', 'text', 'warning', 'err', 'user', 'name', 'endpoint', 'policy', 'service', 'match', 'sid', 'first',
])
export const FRAME_FUNCTIONS: readonly string[] = ['get-cutoverendpointdata', 'get-cutovergroupmembership', 'get-cutoverpolicydata', 'get-cutoverprobedata', 'get-cutoverservicedata', 'get-cutoveruserdata', 'new-cutoverresult']

/** Every string of a plan with its path (`rooms.map[0].rename`). */
export function planStrings(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]]
  if (Array.isArray(value)) return value.flatMap((v, i) => planStrings(v, `${path}[${i}]`))
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => planStrings(v, path === '' ? k : `${path}.${k}`))
  return []
}
