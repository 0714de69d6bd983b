import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { compile } from '../../runner/compile/compile.js'
import type { Command } from '../../runner/core/command.js'
import type { Plan } from '../../runner/plan/types.js'
import { RESULT_MARKER } from '../../runner/runtimes/powershell/protocol.js'
import { QuoteError, psString } from '../../runner/runtimes/powershell/quote.js'
import { SCRIPT_KINDS, renderScript } from '../../runner/runtimes/powershell/script.js'
import { escapeWildcard } from '../../runner/core/wildcard.js'
import { platformOf } from '../../runner/runtimes/index.js'
import { NOTHING_KNOWN, isStepOf } from '../../runner/steps/define.js'
import { mappingsKind } from '../../runner/steps/kinds/mappings.js'
import { kindNamed } from '../../runner/steps/registry.js'
import { outsideRanges, parseScript, powershellParser } from './powershell-tree.js'
import type { ParsedScript } from './powershell-tree.js'
import { ROOT } from '../helpers/cli.js'
import { FRAME_FUNCTIONS, FRAME_VARIABLES, HOSTILE_PLAN, PLAN_FILES, expectedCommands, loadPlan, planStrings, renderPlan } from './rendered.js'
import type { RenderedScript } from './rendered.js'

const scripts = new Map<string, RenderedScript[]>(PLAN_FILES.map((f) => [f, renderPlan(f)]))
const parsed = new Map<RenderedScript, ParsedScript>()

beforeAll(async () => {
  const p = await powershellParser()
  for (const list of scripts.values()) for (const s of list) parsed.set(s, parseScript(p, s.text))
})

const label = (s: RenderedScript) => `${s.plan} ${s.step.id} [${s.commands.map((c) => c.cmdlet).join(', ')}]`

/** Plan values whose every occurrence in a script must be inside a literal: all strings with a
 * character a code word cannot hold, except the plan's name and ids, which the schema limits to
 * [a-z0-9-] and which name the script in its first comment line, and a checkpoint's `before`,
 * which validate holds to a step id made of those. */
function checkedValues(file: string): [string, string][] {
  return planStrings(loadPlan(file)).filter(([path, v]) => v.length >= 3 && /[^A-Za-z0-9]/.test(v) && path !== 'name' && !/(^|\.)(id|source|before)$/.test(path))
}

/** Comment lines written in the templates themselves: fixed code, like "# ... Persistent Chat
 * services ...", where a plan value such as the display name `Persistent Chat` may also occur. */
const TEMPLATE_COMMENTS = new Set(readdirSync(join(ROOT, 'templates')).flatMap((f) => readFileSync(join(ROOT, 'templates', f), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l.startsWith('#'))))

const quoted = (v: string) => v.replace(/['\u2018\u2019\u201A\u201B]/g, (q) => q + q)

describe.each(PLAN_FILES)('scripts of %s', (file) => {
  const list = scripts.get(file) ?? []

  it('renders a script for every step that runs commands', () => {
    const plan = loadPlan(file)
    const withCommands = compile(plan, platformOf(plan)).filter((s) => kindNamed(s.kind)?.preview(s, NOTHING_KNOWN, platformOf(plan)).some((a) => a.type === 'commands'))
    expect(withCommands.length).toBeGreaterThan(0)
    expect(new Set(list.map((s) => s.step.id))).toEqual(new Set(withCommands.map((s) => s.id)))
  })

  it('parses with no ERROR or MISSING node, and no double-quoted string, here-string or $(...)', () => {
    for (const s of list) {
      const tree = parsed.get(s)
      expect(tree?.problems, label(s)).toEqual([])
      expect(tree?.forbidden, label(s)).toEqual({})
    }
  })

  it('holds exactly the commands it was given, plus the fixed frame, and no other code', () => {
    for (const s of list) {
      const tree = parsed.get(s)
      expect([...(tree?.commands ?? [])].sort(), label(s)).toEqual(expectedCommands(s.commands))
      expect([...new Set(tree?.functions)].sort(), label(s)).toEqual(FRAME_FUNCTIONS)
      expect(tree?.variables.filter((v) => !FRAME_VARIABLES.has(v)), label(s)).toEqual([])
    }
  })

  it('prints the result line once, from finally, after the commands', () => {
    for (const s of list) {
      expect(s.text.split(psString(RESULT_MARKER, 'marker')).length, label(s)).toBe(2)
      const finallyAt = s.text.indexOf('} finally {')
      expect(finallyAt).toBeGreaterThan(s.text.lastIndexOf('New-CutoverResult -Objects'))
      expect(s.text.indexOf(psString(RESULT_MARKER, 'marker'))).toBeGreaterThan(finallyAt)
    }
  })

  it('keeps every plan value inside string literals', () => {
    const values = checkedValues(file)
    for (const s of list) {
      const tree = parsed.get(s)
      if (tree === undefined) throw new Error('not parsed')
      const fixed = tree.comments.filter((c) => TEMPLATE_COMMENTS.has(c.text.trim())).map((c) => c.range)
      expect(fixed.length).toBeGreaterThan(0)
      const allowed = [...tree.literals, ...fixed]
      for (const [path, v] of values) {
        for (const form of new Set([v, quoted(v)])) {
          expect(outsideRanges(s.text, form, allowed), `${label(s)}: ${path}`).toEqual([])
        }
      }
    }
  })
})

describe('the hostile plan', () => {
  const list = scripts.get(HOSTILE_PLAN) ?? []
  const all = list.map((s) => s.text).join('\n')

  it('reaches the scripts with every hostile value it holds, each quoted as one literal', () => {
    const plan = loadPlan(HOSTILE_PLAN)
    const rendered = [
      'environment.lyncModule', 'environment.workDir', 'sources[0].database.name', 'sources[0].lookupAccount', 'sources[0].fileStore',
      'sources[0].services[0]', 'sources[0].services[1]', 'sources[0].services[2]', 'target.services[0]', 'target.services[1]', 'target.fileStore',
      'rooms.categories[0].to', 'rooms.categories[1].to', 'rooms.map[0].rename', 'rooms.map[0].description', 'rooms.map[1].rename',
      'rooms.map[1].category', 'legacyClients.displayName', 'clients.enablePolicy', 'decommission[3].powershell.script',
    ]
    const values = new Map(planStrings(plan))
    for (const path of rendered) {
      const v = values.get(path)
      expect(v, path).toBeDefined()
      // Copy-Item -Path is a wildcard pattern: the legacy file store arrives escaped as
      // [WildcardPattern]::Escape writes it (`[ `] `` ` ``), then quoted like every value.
      const form = path === 'sources[0].fileStore' ? escapeWildcard(v ?? '') : v ?? ''
      expect(all.includes(quoted(form)), path).toBe(true)
    }
    expect(values.get('sources[0].fileStore')).toContain('[2010]')
    expect(all).toContain('`[2010`]')
    // The 256-character names of the plan arrive whole.
    expect(values.get('rooms.map[0].rename')).toHaveLength(256)
    expect(values.get('legacyClients.displayName')).toHaveLength(256)
    expect(all).toContain(psString(values.get('rooms.map[0].rename') ?? '', 't'))
    expect(all).toContain(psString(values.get('legacyClients.displayName') ?? '', 't'))
  })

  it('writes multi-line values unchanged: no indentation added inside a literal', () => {
    const plan = loadPlan(HOSTILE_PLAN)
    const description = plan.rooms.map[0]?.description ?? ''
    expect(description).toContain('\r\n\t')
    expect(all).toContain(psString(description, 't'))
    const step = plan.decommission[3]
    const script = step !== undefined && 'powershell' in step ? step.powershell.script : ''
    expect(all).toContain(`([scriptblock]::Create(${psString(script, 't')}))`)
  })

  it('runs remote commands in Invoke-Command with the values still quoted', () => {
    const stop = list.find((s) => s.step.id === 'cutover.stop-legacy.hq')
    expect(stop?.text).toContain("Invoke-Command -ComputerName 'gc01.contoso.com' -ScriptBlock { $ErrorActionPreference = 'Stop'; Stop-Service -Name @('Group''Chat$(Stop-Computer)', 'Chat’’s `whoami`; Restart-Computer', 'a|b#c<#d#>‚‚‛‛‘‘') }")
  })
})

describe('renderScript', () => {
  const plan = loadPlan('plans/contoso-lync2010.yaml')
  const steps = compile(plan, platformOf(plan))
  const stepOf = (kind: string) => {
    const s = steps.find((x) => x.kind === kind)
    if (s === undefined) throw new Error(kind)
    return s
  }

  it('has a template for exactly the kinds whose render gives commands', () => {
    const kinds = new Set<string>()
    for (const file of PLAN_FILES) {
      const p = loadPlan(file)
      for (const s of compile(p, platformOf(p))) if (kindNamed(s.kind)?.preview(s, NOTHING_KNOWN, platformOf(p)).some((a) => a.type === 'commands')) kinds.add(s.kind)
    }
    expect(new Set(Object.keys(SCRIPT_KINDS))).toEqual(kinds)
    for (const kind of Object.keys(SCRIPT_KINDS)) expect(kindNamed(kind), kind).toBeDefined()
  })

  it('refuses a kind without a template', () => {
    for (const kind of ['manual', 'verify', 'backup', 'inventory', 'report']) {
      expect(() => renderScript(stepOf(kind), plan, [])).toThrow(/has no PowerShell template/)
    }
  })

  it('refuses a command whose result the kind template cannot capture', () => {
    expect(() => renderScript(stepOf('workdir'), plan, [{ cmdlet: 'Get-CsUser', params: [['Identity', 'sip:a@b.c']] }])).toThrow(/cannot capture/)
  })

  it('renders an empty batch as the frame alone (a mappings step with nothing to change)', async () => {
    const text = renderScript(stepOf('mappings'), plan, [])
    const tree = parseScript(await powershellParser(), text)
    expect(tree.problems).toEqual([])
    expect([...tree.commands].sort()).toEqual(expectedCommands([]))
  })

  // validate refuses control characters (rule control-character); the quoting helper refuses them
  // again, in case a value reaches it some other way: these plans are edited after validation.
  it('names the plan field of a value with a control character, and the code point, never the value', () => {
    const valid = loadPlan('test/plans/hostile.yaml')
    const first = valid.rooms.map[0]
    if (first?.rename === undefined) throw new Error('the hostile plan renames its first room')
    const edited: Plan = { ...valid, rooms: { ...valid.rooms, map: [{ ...first, rename: first.rename.replace('Rename ', 'Renam\u0007 ') }, ...valid.rooms.map.slice(1)] } }
    const step = compile(edited, platformOf(edited)).find((s) => isStepOf(mappingsKind, s))
    if (step === undefined) throw new Error('no mappings step')
    const commands = mappingsKind.preview(step, NOTHING_KNOWN, platformOf(edited)).flatMap((a) => (a.type === 'commands' ? a.commands : [])) ?? []
    let error: unknown
    try {
      renderScript(step, edited, commands)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(QuoteError)
    const message = (error as Error).message
    expect(message).toMatch(/^rooms\.map\[0\]\.rename \(step cutover\.mappings, command \d+ \(Set-CsPersistentChatRoom\) -Name\): character U\+0007 at position 6/)
    expect(message).not.toContain('whoami')
    expect(message.split('\n')).toHaveLength(1)
  })

  it('names the plan field of the Lync module path too', () => {
    const valid = loadPlan('plans/contoso-lync2010.yaml')
    const edited: Plan = { ...valid, environment: { ...valid.environment, lyncModule: 'C:\\Lync\u001b.psd1' } }
    expect(() => renderScript(stepOf('workdir'), edited, [])).toThrow(/^environment\.lyncModule -Name: character U\+001B at position 8/)
  })

  it('refuses a cmdlet or parameter name that is not a plain name', () => {
    const bad: Command[] = [
      { cmdlet: 'Get-Date; Stop-Computer', params: [] },
      { cmdlet: 'Get-Date', params: [['Format; Stop-Computer', 'x']] },
    ]
    for (const c of bad) expect(() => renderScript(stepOf('workdir'), plan, [c])).toThrow(QuoteError)
  })
})
