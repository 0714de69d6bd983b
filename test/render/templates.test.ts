import { platformOf } from '../../runner/runtimes/index.js'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import Handlebars from 'handlebars'
import { describe, expect, it } from 'vitest'
import { compile } from '../../runner/compile/compile.js'
import type { Command } from '../../runner/core/command.js'
import { BLOCK_HELPERS, HELPERS, checkTemplate, compileTemplate } from '../../runner/runtimes/powershell/handlebars.js'
import { psString } from '../../runner/runtimes/powershell/quote.js'
import { LAUNCHERS } from '../../runner/runtimes/powershell/remote.js'
import { PARTIALS, SCRIPT_KINDS, renderScript, templatePath } from '../../runner/runtimes/powershell/script.js'
import { ROOT } from '../helpers/cli.js'
import { parseScript, powershellParser } from './powershell-tree.js'
import { loadPlan } from './rendered.js'

const TEMPLATE_DIR = join(ROOT, 'templates')
const files = readdirSync(TEMPLATE_DIR).filter((f) => f.endsWith('.ps1.hbs')).sort()
const helperNames = Object.keys(HELPERS)

/**
 * An independent walk of a template's AST (not checkTemplate's): every mustache and sub-expression
 * calls one of our helpers with a value and a source, escaped (no triple-stash); blocks are only
 * #each / #if; partials are named. Returns what is wrong.
 */
function rawEmissions(ast: hbs.AST.Program): string[] {
  const found: string[] = []
  const call = (node: hbs.AST.MustacheStatement | hbs.AST.SubExpression) => {
    const path = node.path as hbs.AST.PathExpression
    const name = path.type === 'PathExpression' ? path.original : String((node.path as hbs.AST.StringLiteral).value)
    if (path.type !== 'PathExpression' || !helperNames.includes(name)) found.push(`bare {{${name}}} at line ${node.loc.start.line}`)
    else if (node.params.length !== 2) found.push(`{{${name}}} without a value and a source at line ${node.loc.start.line}`)
    for (const p of node.params) if (p.type === 'SubExpression') call(p as hbs.AST.SubExpression)
  }
  const visit = (node: hbs.AST.Node | undefined | null): void => {
    if (node === undefined || node === null) return
    if (node.type === 'Program') for (const s of (node as hbs.AST.Program).body) visit(s)
    else if (node.type === 'MustacheStatement') {
      const m = node as hbs.AST.MustacheStatement
      if (!m.escaped) found.push(`triple-stash at line ${m.loc.start.line}`)
      call(m)
    } else if (node.type === 'BlockStatement') {
      const b = node as hbs.AST.BlockStatement
      if (!['each', 'if'].includes(b.path.original)) found.push(`block {{#${b.path.original}}}`)
      for (const p of b.params) if (p.type === 'SubExpression') call(p as hbs.AST.SubExpression)
      visit(b.program)
      visit(b.inverse)
    } else if (node.type === 'PartialStatement' || node.type === 'PartialBlockStatement') {
      const p = node as hbs.AST.PartialBlockStatement
      if (p.name.type !== 'PathExpression') found.push('computed partial name')
      if (node.type === 'PartialBlockStatement') visit(p.program)
    } else if (node.type !== 'ContentStatement' && node.type !== 'CommentStatement') found.push(`${node.type} at line ${node.loc.start.line}`)
  }
  visit(ast)
  return found
}

describe('templates', () => {
  it('are exactly one per step kind that runs commands, plus the shared partials and the remote launcher', () => {
    expect(files).toEqual([...Object.keys(SCRIPT_KINDS), ...PARTIALS, ...LAUNCHERS].map((n) => `${n}.ps1.hbs`).sort())
    for (const name of [...Object.keys(SCRIPT_KINDS), ...PARTIALS]) expect(templatePath(name)).toBe(join(TEMPLATE_DIR, `${name}.ps1.hbs`))
  })

  it.each(files)('%s emits data only through the quoting helpers', (file) => {
    const ast = Handlebars.parse(readFileSync(join(TEMPLATE_DIR, file), 'utf8'))
    expect(rawEmissions(ast)).toEqual([])
    expect(checkTemplate(ast, file)).toEqual([])
  })

  it('every kind template renders inside the shared preamble', () => {
    for (const kind of Object.keys(SCRIPT_KINDS)) {
      const text = readFileSync(templatePath(kind), 'utf8')
      expect(text, kind).toMatch(/^\{\{#> preamble\}\}$/m)
      expect(text, kind).toMatch(/^\{\{\/preamble\}\}$/m)
    }
  })

  it('the walk itself catches what it must (so an empty result means something)', () => {
    const bad = ['{{value}}', '{{{psString value "s"}}}', '{{&value}}', '{{psString value}}', '{{lookup . "x"}}', '{{psString (lookup . "x") "s"}}', '{{#with x}}{{/with}}', '{{> (name)}}', '{{*decorator}}', '{{#value}}x{{/value}}', '{{this}}', '{{@root.x}}', '{{"literal"}}']
    for (const t of bad) {
      const ast = Handlebars.parse(t)
      expect(rawEmissions(ast).length + (t === '{{> (name)}}' ? 1 : 0), t).toBeGreaterThan(0)
      expect(checkTemplate(ast, 't').length, t).toBeGreaterThan(0)
      expect(() => compileTemplate(t, 't'), t).toThrow(/could emit data without quoting it/)
    }
  })

  it('helpers are the quoting functions and the blocks emit nothing', () => {
    expect(helperNames.sort()).toEqual(['psCommand', 'psLine', 'psString', 'psValue'])
    expect(BLOCK_HELPERS).toEqual(['each', 'if'])
  })
})

describe('rendering through the helpers', () => {
  const hostile = "{{psString x 's'}} }} {{{ </script> &amp; <b>&lt;'’\" $(Get-Date) `whoami` @{x=1}"

  it('writes a hostile value as one literal: no HTML escaping, no template syntax, nothing bypassed', async () => {
    const plan = loadPlan('plans/contoso-lync2010.yaml')
    const step = compile(plan, platformOf(plan)).find((s) => s.kind === 'mappings')
    if (step === undefined) throw new Error('no mappings step')
    const commands: Command[] = [
      { cmdlet: 'Set-CsPersistentChatRoom', params: [['Identity', hostile], ['Description', `${hostile}\n${hostile}`], ['Members', { addRemove: { add: [hostile] } }]] },
    ]
    const text = renderScript(step, plan, commands)
    expect(text).toContain(`-Identity ${psString(hostile, 't')} -Description ${psString(`${hostile}\n${hostile}`, 't')} -Members @{Add=@(${psString(hostile, 't')})}`)
    expect(text).not.toContain('&amp;amp;')
    expect(text).not.toContain('&#x27;')
    expect(text).not.toContain('&quot;')
    const tree = parseScript(await powershellParser(), text)
    expect(tree.problems).toEqual([])
    expect(tree.forbidden).toEqual({})
  })

  it('refuses a template with a raw value before it renders anything', () => {
    expect(() => compileTemplate('Set-X -Name {{name}}', 'raw.ps1.hbs')).toThrow(/raw\.ps1\.hbs:1:13: mustache \{\{name\}\} is not a call of/)
    expect(() => compileTemplate('Set-X -Name {{{psString name "s"}}}', 'raw.ps1.hbs')).toThrow(/triple-stash/)
  })

  it('fails on a helper called without its source, or on a missing field', () => {
    expect(() => compileTemplate('{{psString name}}', 't')).toThrow(/takes a value and its source/)
    const t = compileTemplate("{{psString missing 's'}}", 't')
    // Strict mode leaves helper arguments alone; the helper refuses what is not text.
    expect(() => t({ name: 'x' })).toThrow(/^s: expected text, got undefined$/)
    expect(compileTemplate("{{psString name 'n'}}", 't')({ name: "a'b" })).toBe("'a''b'")
  })
})

describe('prototype access is off', () => {
  it('cannot read constructor, __proto__ or inherited properties of the view', () => {
    const inherited = Object.create({ secret: 'from the prototype' }) as object
    const cases: [string, object][] = [
      ["{{psString constructor.name 's'}}", {}],
      ["{{psString __proto__.secret 's'}}", inherited],
      ["{{psString secret 's'}}", inherited],
      ["{{psString name.constructor.name 's'}}", { name: 'x' }],
      ["{{psValue constructor 's'}}", {}],
      ["{{psCommand command.constructor 's'}}", { command: { cmdlet: 'Get-Date', params: [] } }],
      ["{{#each list}}{{psString constructor.name 's'}}{{/each}}", { list: [{}] }],
    ]
    for (const [template, view] of cases) {
      let out: string | undefined
      try {
        out = compileTemplate(template, 't')(view)
      } catch {
        out = undefined
      }
      // Either it fails, or whatever it wrote holds nothing reached through the prototype.
      expect(out === undefined || out === '', template).toBe(true)
    }
  })

  it('does not let a crafted __proto__ key in the data reach a helper as code', () => {
    const view = JSON.parse('{"command": {"cmdlet": "Get-Date", "params": [], "__proto__": {"cmdlet": "Stop-Computer"}}, "source": "s"}') as object
    expect(compileTemplate('{{psCommand command source}}', 't')(view)).toBe('Get-Date')
    const polluted = JSON.parse('{"__proto__": {"name": "Stop-Computer"}}') as object
    expect(() => compileTemplate("{{psString name 's'}}", 't')(polluted)).toThrow()
  })
})
