import Handlebars from 'handlebars'
import type { Command, ParamValue } from '../../core/command.js'
import { psCommand, psString, psValue } from './quote.js'

/**
 * The Handlebars set-up for PowerShell templates. Templates emit data only through the helpers
 * below, each the output of the one quoting helper (quote.ts) wrapped as a SafeString; every
 * template and partial is checked for that before it is compiled (checkTemplate), so a template
 * with a bare `{{value}}` cannot even be loaded. A private instance keeps these helpers out of
 * any other Handlebars user in the process, and prototype access stays off at run time.
 */

const hb = Handlebars.create()

/** The helpers a template may call, by name: the only way a template emits data. */
export const HELPERS: Readonly<Record<string, (...args: unknown[]) => string>> = {
  /** `{{psString value 'source'}}`: a single-quoted literal. */
  psString: (value, source) => psString(value as string, sourceOf(source)),
  /** `{{psLine value 'source'}}`: a single-quoted literal that is also safe inside a `#` comment line. */
  psLine: (value, source) => psString(value as string, sourceOf(source), { singleLine: true }),
  /** `{{psValue value 'source'}}`: any parameter value (command.ts). */
  psValue: (value, source) => psValue(value as ParamValue, sourceOf(source)),
  /** `{{psCommand command source}}`: `Cmdlet -Name value ...` (remote ones in Invoke-Command). */
  psCommand: (command, source) => psCommand(command as Command, sourceOf(source)),
}

/** Block helpers a template may use to walk its view: iteration and choosing a partial, nothing
 * that emits a value. */
export const BLOCK_HELPERS: readonly string[] = ['each', 'if']

// A helper's last argument is Handlebars' options object: a call with a missing source argument
// gets that object here, and fails instead of rendering "[object Object]".
function sourceOf(source: unknown): string {
  if (typeof source !== 'string' || source === '') throw new Error('a template helper was called without its source argument (where the value comes from)')
  return source
}

for (const [name, fn] of Object.entries(HELPERS)) {
  hb.registerHelper(name, (...args: unknown[]) => {
    // Handlebars passes its options object last; the helpers take exactly (value, source).
    if (args.length !== 3) throw new Error(`{{${name}}} takes a value and its source, got ${args.length - 1} argument(s)`)
    return new hb.SafeString(fn(args[0], args[1]))
  })
}
// Built-ins that hand a raw value to the template are removed; a name that is no helper fails.
for (const name of ['lookup', 'log', 'with', 'unless']) hb.unregisterHelper(name)
hb.registerHelper('helperMissing', (...args: unknown[]) => {
  const options = args[args.length - 1] as { name?: string }
  throw new Error(`unknown template helper or bare value {{${options.name ?? '?'}}}: data reaches a script only through ${Object.keys(HELPERS).join(', ')}`)
})
hb.registerHelper('blockHelperMissing', (...args: unknown[]) => {
  const options = args[args.length - 1] as { name?: string }
  throw new Error(`unknown block helper {{#${options.name ?? '?'}}}: use ${BLOCK_HELPERS.map((b) => `#${b}`).join(' or ')}`)
})

const COMPILE_OPTIONS = {
  strict: true,
  // A standalone partial's indentation would otherwise be added to every line of its output,
  // inside multi-line literals too, changing the values.
  preventIndent: true,
  knownHelpersOnly: true,
  knownHelpers: { ...Object.fromEntries(Object.keys(HELPERS).map((h) => [h, true])), each: true, if: true, lookup: false, log: false, with: false, unless: false },
}

const RUNTIME_OPTIONS = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false } as const

/**
 * What is wrong with a template's AST, if anything: every mustache and sub-expression must call a
 * helper of HELPERS (escaped, so no triple-stash), blocks are BLOCK_HELPERS over a path, partials
 * are named statically. An empty list means the template cannot emit a raw value.
 */
export function checkTemplate(ast: hbs.AST.Program, name: string): string[] {
  const problems: string[] = []
  const at = (node: hbs.AST.Node) => `${name}:${node.loc.start.line}:${node.loc.start.column + 1}`
  const helperCall = (node: hbs.AST.MustacheStatement | hbs.AST.SubExpression, what: string) => {
    const path = node.path as hbs.AST.PathExpression
    if (path.type !== 'PathExpression' || !Object.hasOwn(HELPERS, path.original) || path.parts.length !== 1 || path.data) {
      problems.push(`${at(node)}: ${what} {{${String(path.original)}}} is not a call of ${Object.keys(HELPERS).join(', ')}`)
    } else if (node.params.length !== 2) {
      problems.push(`${at(node)}: {{${path.original}}} takes a value and its source`)
    }
    if (node.hash !== undefined && node.hash.pairs.length > 0) problems.push(`${at(node)}: {{${String(path.original)}}} takes no hash arguments`)
    node.params.forEach(expression)
  }
  const expression = (node: hbs.AST.Expression) => {
    if (node.type === 'SubExpression') helperCall(node as hbs.AST.SubExpression, 'sub-expression')
  }
  const visit = (node: hbs.AST.Node | undefined): void => {
    if (node === undefined || node === null) return
    switch (node.type) {
      case 'Program':
        for (const s of (node as hbs.AST.Program).body) visit(s)
        return
      case 'ContentStatement':
      case 'CommentStatement':
        return
      case 'MustacheStatement': {
        const m = node as hbs.AST.MustacheStatement
        if (!m.escaped) problems.push(`${at(m)}: triple-stash or {{& }} is not allowed`)
        helperCall(m, 'mustache')
        return
      }
      case 'BlockStatement': {
        const b = node as hbs.AST.BlockStatement
        if (!BLOCK_HELPERS.includes(b.path.original) || b.params.length !== 1 || b.params[0]?.type !== 'PathExpression') {
          problems.push(`${at(b)}: block {{#${b.path.original}}} is not ${BLOCK_HELPERS.map((x) => `#${x}`).join(' or ')} over a path`)
        }
        b.params.forEach(expression)
        visit(b.program)
        visit(b.inverse)
        return
      }
      case 'PartialStatement':
      case 'PartialBlockStatement': {
        const p = node as hbs.AST.PartialStatement | hbs.AST.PartialBlockStatement
        if (p.name.type !== 'PathExpression') problems.push(`${at(p)}: a partial must be named, not computed`)
        if (p.params.length > 0 || (p.hash !== undefined && p.hash.pairs.length > 0)) problems.push(`${at(p)}: a partial takes no arguments; it renders the current view`)
        if (p.type === 'PartialBlockStatement') visit((p as hbs.AST.PartialBlockStatement).program)
        return
      }
      default:
        problems.push(`${at(node)}: ${node.type} is not allowed in a PowerShell template`)
    }
  }
  visit(ast)
  return problems
}

/** A template checked by checkTemplate and compiled strict; renders with prototype access off. */
export type ScriptTemplate = (view: object) => string

function compileChecked(text: string, name: string): Handlebars.TemplateDelegate {
  const ast = hb.parse(text, { srcName: name })
  const problems = checkTemplate(ast, name)
  if (problems.length > 0) throw new Error(`template ${name} could emit data without quoting it:\n  ${problems.join('\n  ')}`)
  return hb.compile(ast, COMPILE_OPTIONS)
}

export function compileTemplate(text: string, name: string): ScriptTemplate {
  const compiled = compileChecked(text, name)
  return (view) => compiled(view, RUNTIME_OPTIONS)
}

/** Registers a checked partial (`{{> name}}`, `{{#> name}}...{{/name}}`) on the private instance;
 * it runs with its caller's runtime options, prototype access off included. */
export function registerPartial(name: string, text: string): void {
  hb.registerPartial(name, compileChecked(text, name))
}
