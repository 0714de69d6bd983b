import type { CST, Document, LineCounter } from 'yaml'
import type { Finding } from './findings.js'
import { escapeLineBreaks } from '../core/line-breaks.js'
import { yamlLib } from './yaml-lib.js'
import { MAX_DEPTH, depthProblem, flowBracketProblem, tooDeep } from './yaml-limits.js'

/** A path into the plan: keys and list indexes, as ajv's instancePath and the rules use them. */
export type Path = readonly (string | number)[]

export interface Position {
  readonly line: number
  readonly column: number
}

/** Aliases are legal YAML and a plan may reuse a value many times (`source: *gc` in every
 * mapping); the bound on expanded nodes stops alias-expansion bombs before they allocate (yaml's
 * toJS counts uses times the size of what each alias expands to, and throws past it). */
export const MAX_ALIAS_COUNT = 1000

/** Messages for the YAML errors an admin is likely to hit, in their words rather than the parser's. */
const FRIENDLY: Readonly<Record<string, string>> = {
  TAB_AS_INDENT: 'a tab is used for indentation; YAML allows only spaces',
  MULTIPLE_DOCS: 'the file holds more than one YAML document (a second ---); a plan is one document',
}

export interface ParseResult {
  readonly doc?: PlanDocument
  readonly value?: unknown
  readonly findings: Finding[]
}

/** The parsed YAML of a plan with what is needed to point back into the file. */
export class PlanDocument {
  private constructor(
    readonly file: string,
    readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /** Parses plan text; returns the document, or the findings that make it unusable. */
  static parse(text: string, file: string): ParseResult {
    try {
      return PlanDocument.parseUnguarded(text, file)
    } catch (e) {
      // The limits above keep every stage's recursion shallow; should some input still overflow
      // the stack, it is one positioned line, not a crash with a stack trace.
      if (!(e instanceof RangeError)) throw e
      return { findings: [{ file, line: 1, column: 1, severity: 'error', message: `the plan is too large or nested too deeply to check (more than ${MAX_DEPTH} levels?); simplify it`, rule: 'yaml/too-deep' }] }
    }
  }

  private static parseUnguarded(text: string, file: string): ParseResult {
    // Editors do not count a UTF-8 BOM as a column, so neither do we.
    const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
    const control = findControlCharacter(src)
    const lines = new (yamlLib().LineCounter)()
    // In steps rather than with parseDocument: the bracket scan and the depth check run before
    // the stages that recurse once per level or report once per bracket, and no code frame is
    // formatted for each error (quadratic on a file of many; only the first is reported, placed
    // by our LineCounter).
    const limit = control === undefined ? flowBracketProblem(src) : undefined
    const unparsable = limit !== undefined || control !== undefined
    const tokens = [...new (yamlLib().Parser)(lines.addNewLine).parse(unparsable ? '' : src)]
    const deep = limit ?? depthProblem(tokens)
    const doc = firstDocument(deep === undefined ? tokens : [], src.length)
    if (unparsable) countLines(src, lines)
    const pd = new PlanDocument(file, doc, lines)
    const findings: Finding[] = []
    if (deep !== undefined) {
      findings.push(pd.finding(pd.positionAt(deep.offset), 'error', deep.message, `yaml/${deep.code}`))
      return { findings }
    }
    if (control !== undefined) {
      const code = src.charCodeAt(control)
      const message = code === 0xfffd
        ? 'the plan is not valid UTF-8 text; save it as UTF-8'
        : `control character U+${code.toString(16).toUpperCase().padStart(4, '0')} in the plan; is this a text file?`
      findings.push(pd.finding(pd.positionAt(control), 'error', message, 'yaml/not-text'))
      return { findings }
    }
    // Only the first syntax error: the parser's later ones are mostly echoes of it, and one clear
    // line that points at the real mistake beats a screenful.
    const first = [...doc.errors].sort((a, b) => a.pos[0] - b.pos[0])[0]
    if (first !== undefined) {
      const placed = placeSyntaxError(src, first.code, first.message, first.pos[0])
      findings.push(pd.finding(pd.positionAt(placed.offset), 'error', placed.message, `yaml/${placed.code.toLowerCase().replace(/_/g, '-')}`))
      return { findings }
    }
    for (const w of doc.warnings) {
      const pos = pd.positionAt(w.pos[0])
      const parserText = parserMessage(w.message, w.code)
      // An unknown tag (!foo) would silently turn into a plain string: refuse it.
      const message = w.code === 'TAG_RESOLVE_FAILED'
        ? `${parserText.replace(/^Unresolved tag: /, 'unknown YAML tag ')}; a plan uses plain values: remove the tag`
        : `YAML: ${parserText}`
      findings.push(pd.finding(pos, 'error', message, `yaml/${w.code.toLowerCase().replace(/_/g, '-')}`))
    }
    if (findings.length > 0) return { findings }
    if (doc.contents === null || (yamlLib().isScalar(doc.contents) && doc.contents.value === null)) {
      findings.push(pd.finding({ line: 1, column: 1 }, 'error', 'the plan is empty; start from one of the examples in plans/', 'yaml/empty'))
      return { findings }
    }
    const complex = pd.collectionKey()
    if (complex !== undefined) {
      findings.push(pd.finding(complex, 'error', 'this key is a list or mapping (a `? ` or a bracket before the colon); a plan\'s keys are plain names', 'yaml/collection-key'))
      return { findings }
    }
    const dangling = pd.unresolvedAlias()
    if (dangling !== undefined) {
      findings.push(pd.finding(dangling.at, 'error', `alias *${dangling.name} has no anchor &${dangling.name} before it`, 'yaml/unresolved-alias'))
      return { findings }
    }
    try {
      const value: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
      return { doc: pd, value, findings }
    } catch (e) {
      const where = pd.firstAlias() ?? { line: 1, column: 1 }
      const why = e instanceof ReferenceError
        ? `too many YAML alias expansions (limit ${MAX_ALIAS_COUNT}); a plan does not need them`
        : `YAML: ${e instanceof Error ? e.message : String(e)}`
      findings.push(pd.finding(where, 'error', why, 'yaml/alias-limit'))
      return { findings }
    }
  }

  finding(pos: Position, severity: Finding['severity'], message: string, rule: string): Finding {
    return { file: this.file, line: pos.line, column: pos.column, severity, message: escapeLineBreaks(message), rule }
  }

  positionAt(offset: number): Position {
    const p = this.lines.linePos(offset)
    return { line: p.line, column: p.col }
  }

  /** Where the node at `path` starts; `key` points at the mapping key instead of its value.
   * Falls back to the nearest existing ancestor, so every finding has a place. */
  position(path: Path, part: 'value' | 'key' = 'value'): Position {
    let node: unknown = this.doc.contents
    let keyNode: unknown
    let reached: unknown = node
    for (const seg of path) {
      keyNode = undefined
      if (yamlLib().isMap(node)) {
        const pair = node.items.find((p) => yamlLib().isPair(p) && yamlLib().isScalar(p.key) && p.key.value === seg)
        if (pair === undefined) break
        keyNode = pair.key
        node = pair.value
      } else if (yamlLib().isSeq(node) && typeof seg === 'number') {
        node = node.items[seg]
        if (node === undefined) break
      } else break
      reached = node ?? keyNode
    }
    const target = part === 'key' && keyNode !== undefined ? keyNode : reached
    const range = yamlLib().isNode(target) ? target.range : undefined
    return this.positionAt(range?.[0] ?? 0)
  }

  /** The first key that is a list or mapping: toJS would stringify it and print a process warning
   * (an unpositioned line on stderr), and no plan key is one. */
  collectionKey(): Position | undefined {
    let at: number | undefined
    yamlLib().visit(this.doc, {
      Pair(_, pair) {
        if (yamlLib().isMap(pair.key) || yamlLib().isSeq(pair.key)) {
          at = pair.key.range?.[0] ?? 0
          return yamlLib().visit.BREAK
        }
        return undefined
      },
    })
    return at === undefined ? undefined : this.positionAt(at)
  }

  /** The first alias whose anchor is not defined before it (yaml reports it only when converting). */
  unresolvedAlias(): { name: string; at: Position } | undefined {
    let found: { name: string; at: Position } | undefined
    const doc = this.doc
    yamlLib().visit(doc, {
      Alias: (_, node) => {
        if (node.resolve(doc) === undefined) {
          found = { name: node.source, at: this.positionAt(node.range?.[0] ?? 0) }
          return yamlLib().visit.BREAK
        }
        return undefined
      },
    })
    return found
  }

  private firstAlias(): Position | undefined {
    let at: number | undefined
    yamlLib().visit(this.doc, {
      Alias(_, node) {
        at = node.range?.[0]
        return yamlLib().visit.BREAK
      },
    })
    return at === undefined ? undefined : this.positionAt(at)
  }
}

/** What yaml's parseDocument does after parsing (its code, in 2.9), so that the depth check can
 * stand between parser and composer: the first document, and an error if there is a second. */
function firstDocument(tokens: readonly CST.Token[], length: number): Document.Parsed {
  let doc: Document.Parsed | undefined
  for (const next of new (yamlLib().Composer)({ uniqueKeys: true }).compose(tokens, true, length)) {
    if (doc === undefined) doc = next
    else {
      doc.errors.push(new (yamlLib().YAMLParseError)([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'))
      break
    }
  }
  // compose(..., forceDoc = true) always yields a document.
  if (doc === undefined) throw new Error('yaml composed no document')
  return doc
}

/** Fills `lines` as the parser would, for text that is not handed to the parser. */
function countLines(src: string, lines: LineCounter): void {
  lines.lineStarts.length = 0
  lines.addNewLine(0)
  for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) lines.addNewLine(i + 1)
}

/** YAML 1.2 allows tab, LF, CR and printable characters; anything else means a binary or damaged file. */
function findControlCharacter(src: string): number | undefined {
  // eslint-disable-next-line no-control-regex
  const m = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/.exec(src)
  return m?.index
}

function duplicateKeyMessage(src: string, offset: number): string {
  const key = /^\s*([^:\n]{1,80}?)\s*:/.exec(src.slice(offset))?.[1]?.replace(/^(['"])(.*)\1$/, '$2')
  return `key ${key === undefined ? '' : `'${key}' `}appears twice in the same mapping; keep one`
}

function parserMessage(message: string, code: string): string {
  return message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? code
}

function lineStart(src: string, offset: number): number {
  return src.lastIndexOf('\n', offset - 1) + 1
}

function indentOf(src: string, start: number): number {
  return /^ */.exec(src.slice(start))?.[0].length ?? 0
}

/**
 * Moves a syntax error from where the parser noticed it to where the admin made it, for the
 * mistakes people make: an unterminated quote (at its opening quote), an unclosed [ or { (at the
 * bracket), a key indented too little or too much (at the key).
 */
function placeSyntaxError(src: string, code: string, message: string, parserOffset: number): { offset: number; code: string; message: string } {
  const offset = Math.max(0, Math.min(parserOffset, src.length - 1))
  const own = code === 'DUPLICATE_KEY' ? duplicateKeyMessage(src, offset) : FRIENDLY[code]
  const text = own ?? `YAML syntax: ${parserMessage(message, code)}`
  const quote = /Missing closing (["'])quote/.exec(message)?.[1]
  // yaml catches its own stack overflow on deep block nesting; say what it means.
  if (code === 'RESOURCE_EXHAUSTION') return { ...tooDeep(offset), code: 'TOO_DEEP' }
  if (quote !== undefined) {
    const open = src.lastIndexOf(quote, offset)
    return { offset: open >= 0 ? open : offset, code, message: `this ${quote === '"' ? 'double' : 'single'} quote is never closed` }
  }
  const flow = /Flow (sequence|mapping) in block collection/.exec(message)
  if (flow !== null) {
    const bracket = flow[1] === 'sequence' ? '[' : '{'
    const open = src.lastIndexOf(bracket, offset)
    return { offset: open >= 0 ? open : offset, code, message: `this ${bracket} is never closed with ${bracket === '[' ? ']' : '}'}` }
  }
  if (code === 'BAD_INDENT' && /same column/.test(message)) {
    const start = lineStart(src, offset)
    return { offset: start + indentOf(src, start), code, message: 'this key is not aligned with the keys above it; indent it like them' }
  }
  if (code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'MULTILINE_IMPLICIT_KEY') {
    // `pool: x` followed by a line indented deeper: YAML reads both lines as one value.
    const start = lineStart(src, offset)
    const next = src.indexOf('\n', start) + 1
    if (next > 0 && indentOf(src, next) > indentOf(src, start) && /^\s*[^\s:#][^:\n]*:(\s|$)/.test(src.slice(next, src.indexOf('\n', next) >>> 0))) {
      return { offset: next + indentOf(src, next), code: 'BAD_INDENT', message: 'this key is indented more than the keys above it; align it with them' }
    }
  }
  return { offset, code, message: text }
}
