import { LineCounter, isMap, isNode, isPair, isScalar, isSeq, parseDocument, visit } from 'yaml'
import type { Document } from 'yaml'
import type { Finding } from './findings.js'

/** A path into the plan: keys and list indexes, as ajv's instancePath and the rules use them. */
export type Path = readonly (string | number)[]

export interface Position {
  readonly line: number
  readonly column: number
}

/** Aliases are legal YAML, but a plan needs few; the bound stops alias-expansion bombs before
 * they allocate (yaml's toJS counts expanded nodes and throws past it). */
export const MAX_ALIAS_COUNT = 100

/** Messages for the YAML errors an admin is likely to hit, in their words rather than the parser's. */
const FRIENDLY: Readonly<Record<string, string>> = {
  TAB_AS_INDENT: 'a tab is used for indentation; YAML allows only spaces',
  MULTIPLE_DOCS: 'the file holds more than one YAML document (a second ---); a plan is one document',
}

/** The parsed YAML of a plan with what is needed to point back into the file. */
export class PlanDocument {
  private constructor(
    readonly file: string,
    readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /** Parses plan text; returns the document, or the findings that make it unusable. */
  static parse(text: string, file: string): { doc?: PlanDocument; value?: unknown; findings: Finding[] } {
    // Editors do not count a UTF-8 BOM as a column, so neither do we.
    const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
    const control = findControlCharacter(src)
    const lines = new LineCounter()
    const doc = parseDocument(src, { lineCounter: lines, prettyErrors: true, uniqueKeys: true })
    const pd = new PlanDocument(file, doc, lines)
    const findings: Finding[] = []
    if (control !== undefined) {
      const code = src.charCodeAt(control)
      const message = code === 0xfffd
        ? 'the plan is not valid UTF-8 text; save it as UTF-8'
        : `control character U+${code.toString(16).toUpperCase().padStart(4, '0')} in the plan; is this a text file?`
      findings.push(pd.finding(pd.positionAt(control), 'error', message, 'yaml/not-text'))
      return { findings }
    }
    for (const e of doc.errors) {
      const pos = e.linePos?.[0] ?? { line: 1, col: 1 }
      const own = e.code === 'DUPLICATE_KEY' ? duplicateKeyMessage(src, e.pos[0]) : FRIENDLY[e.code]
      const parserText = e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? e.code
      const message = own ?? `YAML syntax: ${parserText}`
      findings.push(pd.finding({ line: pos.line, column: pos.col }, 'error', message, `yaml/${e.code.toLowerCase().replace(/_/g, '-')}`))
    }
    for (const w of doc.warnings) {
      const pos = w.linePos?.[0] ?? { line: 1, col: 1 }
      const parserText = w.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? w.code
      // An unknown tag (!foo) would silently turn into a plain string: refuse it.
      findings.push(pd.finding({ line: pos.line, column: pos.col }, 'error', `YAML: ${parserText}`, `yaml/${w.code.toLowerCase().replace(/_/g, '-')}`))
    }
    if (findings.length > 0) return { findings }
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
      findings.push(pd.finding({ line: 1, column: 1 }, 'error', 'the plan is empty; start from one of the examples in plans/', 'yaml/empty'))
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
    return { file: this.file, line: pos.line, column: pos.column, severity, message, rule }
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
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === seg)
        if (pair === undefined) break
        keyNode = pair.key
        node = pair.value
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg]
        if (node === undefined) break
      } else break
      reached = node ?? keyNode
    }
    const target = part === 'key' && keyNode !== undefined ? keyNode : reached
    const range = isNode(target) ? target.range : undefined
    return this.positionAt(range?.[0] ?? 0)
  }

  private firstAlias(): Position | undefined {
    let at: number | undefined
    visit(this.doc, {
      Alias(_, node) {
        at = node.range?.[0]
        return visit.BREAK
      },
    })
    return at === undefined ? undefined : this.positionAt(at)
  }
}

/** YAML 1.2 allows tab, LF, CR and printable characters; anything else means a binary or damaged file. */
function findControlCharacter(src: string): number | undefined {
  // eslint-disable-next-line no-control-regex
  const m = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/.exec(src)
  return m?.index
}

function duplicateKeyMessage(src: string, offset: number): string {
  const key = /^\s*([^:\n]{1,80}?)\s*:/.exec(src.slice(offset))?.[1]
  return `key ${key === undefined ? '' : `'${key}' `}appears twice in the same mapping; keep one`
}
