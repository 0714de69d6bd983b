import { join } from 'node:path'
import { Language, Parser } from 'web-tree-sitter'
import type { Node, Tree } from 'web-tree-sitter'
import { ROOT } from '../helpers/cli.js'

/** What the tests read of a script parsed with tree-sitter's PowerShell grammar. Indices are
 * UTF-16 offsets, like JavaScript strings (web-tree-sitter parses JS strings as UTF-16). */
export interface ParsedScript {
  readonly tree: Tree
  /** ERROR and MISSING nodes, as `type@line:column`. */
  readonly problems: readonly string[]
  /** The name of every command node, in order (cmdlets and functions alike). */
  readonly commands: readonly string[]
  /** Every variable node's name, lower case, without `$`. */
  readonly variables: readonly string[]
  /** Every function defined, lower case. */
  readonly functions: readonly string[]
  /** The contents (between the quotes) of every single-quoted string literal: [start, end). */
  readonly literals: readonly (readonly [number, number])[]
  /** Every comment: its text and range. */
  readonly comments: readonly { readonly text: string; readonly range: readonly [number, number] }[]
  /** Node types that must never appear in a rendered script, with their count. */
  readonly forbidden: Readonly<Record<string, number>>
}

/** Double-quoted strings, here-strings and $(...) expand or run what they hold: a rendered script
 * writes every value single-quoted, and its own code uses none of them. */
const FORBIDDEN = ['expandable_string_literal', 'expandable_here_string_literal', 'verbatim_here_string_characters', 'sub_expression', 'verbatim_command_argument']

let parser: Parser | undefined

export async function powershellParser(): Promise<Parser> {
  if (parser !== undefined) return parser
  await Parser.init()
  const language = await Language.load(join(ROOT, 'node_modules', 'tree-sitter-powershell', 'tree-sitter-powershell.wasm'))
  const p = new Parser()
  p.setLanguage(language)
  parser = p
  return p
}

function* walk(node: Node): Generator<Node> {
  yield node
  for (const child of node.children) yield* walk(child)
}

export function parseScript(p: Parser, text: string): ParsedScript {
  const tree = p.parse(text)
  if (tree === null) throw new Error('tree-sitter returned no tree')
  const problems: string[] = []
  const commands: string[] = []
  const variables: string[] = []
  const functions: string[] = []
  const literals: [number, number][] = []
  const forbidden: Record<string, number> = {}
  const comments: { text: string; range: [number, number] }[] = []
  for (const node of walk(tree.rootNode)) {
    if (node.isError || node.isMissing) problems.push(`${node.isMissing ? 'MISSING' : 'ERROR'} ${node.type}@${node.startPosition.row + 1}:${node.startPosition.column + 1}`)
    if (node.type === 'command') commands.push(node.childForFieldName('command_name')?.text ?? '?')
    if (node.type === 'variable') variables.push(node.text.replace(/^\$/, '').toLowerCase())
    if (node.type === 'function_statement') functions.push(node.namedChildren.find((c) => c.type === 'function_name')?.text.toLowerCase() ?? '?')
    if (node.type === 'verbatim_string_characters') literals.push([node.startIndex + 1, node.endIndex - 1])
    if (node.type === 'comment') comments.push({ text: node.text, range: [node.startIndex, node.endIndex] })
    if (FORBIDDEN.includes(node.type)) forbidden[node.type] = (forbidden[node.type] ?? 0) + 1
  }
  return { tree, problems, commands, variables, functions, literals, comments, forbidden }
}

/** Occurrences of `needle` in `text` that are not entirely inside one of `ranges` (string
 * literal contents, say). */
export function outsideRanges(text: string, needle: string, ranges: readonly (readonly [number, number])[]): number[] {
  const out: number[] = []
  if (needle === '') return out
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) {
    const end = i + needle.length
    if (!ranges.some(([s, e]) => s <= i && end <= e)) out.push(i)
  }
  return out
}
