import type { CST } from 'yaml'
import { yamlLib } from './yaml-lib.js'

/** A plan nests about six levels (sources → database → instance); this leaves room for any real
 * plan and stops a nesting bomb before the recursive stages (yaml's composer, toJS, ajv) overflow
 * the stack. */
export const MAX_DEPTH = 64

export interface LimitProblem {
  readonly offset: number
  readonly code: 'too-deep' | 'stray-bracket'
  readonly message: string
}

// The lexer's own markers (document start, scalar start, flow end): not source text.
const MARKERS = new Set(['\x02', '\x1f', '\x18'])

export const tooDeep = (offset: number): LimitProblem => ({ offset, code: 'too-deep', message: `the plan nests more than ${MAX_DEPTH} levels deep here; a plan needs fewer than 10: check the brackets and indentation` })

/**
 * Flow brackets read by yaml's lexer (iterative, linear), before the parser: a [ or { nested past
 * MAX_DEPTH, or a ] or } that closes nothing. The parser reports each stray closer as its own error
 * and formats them in quadratic time (40,000 took 11 s); one line at the first is what helps.
 * The source must have no C0 control characters (checked before), so markers cannot be text.
 */
export function flowBracketProblem(src: string): LimitProblem | undefined {
  let offset = 0
  let depth = 0
  for (const token of new (yamlLib().Lexer)().lex(src)) {
    if (MARKERS.has(token)) {
      // The lexer ends a flow collection that a less indented line interrupts; so do we.
      if (token === '\x18') depth = 0
      continue
    }
    if (token === '[' || token === '{') {
      depth++
      if (depth > MAX_DEPTH) return tooDeep(offset)
    } else if (token === ']' || token === '}') {
      if (depth === 0) return { offset, code: 'stray-bracket', message: `this ${token} closes no ${token === ']' ? '[' : '{'}; remove it, or quote the value if it is text` }
      depth--
    }
    offset += token.length
  }
  return undefined
}

/** The first collection nested past MAX_DEPTH (block or flow) in yaml's concrete syntax tree, walked
 * with an explicit stack before the composer, which recurses once per level. */
export function depthProblem(tokens: readonly CST.Token[]): LimitProblem | undefined {
  const stack: { token: CST.Token | undefined; depth: number }[] = tokens.map((token) => ({ token, depth: 0 }))
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const { token, depth } = top
    if (token === undefined) continue
    if (token.type === 'document') stack.push({ token: token.value, depth })
    else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      if (depth + 1 > MAX_DEPTH) return tooDeep(token.offset)
      for (const item of token.items) stack.push({ token: 'key' in item ? item.key ?? undefined : undefined, depth: depth + 1 }, { token: item.value, depth: depth + 1 })
    }
  }
  return undefined
}
