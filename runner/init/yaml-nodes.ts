/** Building a commented YAML document with the `yaml` package's Document API: comments live on
 * nodes (`commentBefore` above a node, `comment` after it on its line, `spaceBefore` a blank line). */
import { Document, Pair, YAMLMap, YAMLSeq, isNode } from 'yaml'
import type { Node } from 'yaml'

export interface Notes {
  /** Comment lines above the node (each becomes `# line`). */
  readonly before?: readonly string[]
  /** A comment at the end of the node's line. */
  readonly after?: string
  /** A blank line above the node and its comment. */
  readonly space?: boolean
}

// A comment is one line per entry: line breaks or other controls in a legacy name must not
// start a new line, where they would turn the rest of it into YAML.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g

/** Comment lines are wrapped at this width (plus the indentation), so a review diff stays readable. */
const WIDTH = 100

/** `line` broken at spaces into lines of at most WIDTH characters (a longer word stays whole). */
export function wrap(line: string, width = WIDTH): string[] {
  const out: string[] = []
  let rest = line
  while (rest.length > width) {
    const at = rest.lastIndexOf(' ', width)
    if (at <= 0) break
    out.push(rest.slice(0, at))
    rest = rest.slice(at + 1)
  }
  out.push(rest)
  return out
}

export function commentText(lines: readonly string[], width = WIDTH): string {
  return lines.flatMap((l) => wrap(l.replace(CONTROLS, ' '), width)).map((l) => (l === '' ? '' : ` ${l}`)).join('\n')
}

export class YamlBuilder {
  readonly doc = new Document<YAMLMap>(new YAMLMap())

  get root(): YAMLMap {
    return this.doc.contents ?? new YAMLMap()
  }

  /** A plain value or an already built node, as a node. */
  node(value: unknown): Node {
    return isNode(value) ? value : this.doc.createNode(value)
  }

  /** An empty block mapping (one key per line). */
  map(): YAMLMap {
    return new YAMLMap()
  }

  /** An empty block list (one `- item` per line). */
  seq(): YAMLSeq {
    return new YAMLSeq()
  }

  /** A mapping or list written on one line (`{ a: 1 }`, `[a, b]`). */
  flow(value: object): YAMLMap | YAMLSeq {
    const n: unknown = this.doc.createNode(value)
    if (!(n instanceof YAMLMap || n instanceof YAMLSeq)) throw new Error('flow: not a collection')
    n.flow = true
    return n
  }

  /** Sets `key` in `map`, with its comments (above the key, after the value). */
  put(map: YAMLMap, key: string, value: unknown, notes: Notes = {}): void {
    const k = this.doc.createNode(key)
    const v = this.node(value)
    if (notes.before !== undefined && notes.before.length > 0) k.commentBefore = commentText(notes.before)
    if (notes.space === true) k.spaceBefore = true
    // A comment after a value stays on its line, however long: that is where it is read.
    if (notes.after !== undefined) v.comment = commentText([notes.after], Infinity)
    map.items.push(new Pair(k, v))
  }

  /** Appends `value` to `seq`, with its comments. */
  push(seq: YAMLSeq, value: unknown, notes: Notes = {}): void {
    const v = this.node(value)
    if (notes.before !== undefined && notes.before.length > 0) v.commentBefore = commentText(notes.before)
    if (notes.space === true) v.spaceBefore = true
    if (notes.after !== undefined) v.comment = commentText([notes.after], Infinity)
    seq.items.push(v)
  }

  /** The document under a header comment; long values are never folded, so each entry stays on
   * its line. The header is written here: the Document API turns an empty comment line into a
   * blank line, which would split the header into pieces. */
  toString(header: readonly string[]): string {
    const top = commentText(header).split('\n').map((l) => `#${l}`).join('\n')
    return `${top}\n\n${this.doc.toString({ lineWidth: 0 })}`
  }
}
