/**
 * Findings read from the -Report HTML an Import-CsPersistentChatData -WhatIf wrote: its second
 * source, beside the errors and warnings streams. Microsoft does not document the report's
 * layout, so this reads the one shape that says which is which: a heading whose text has "error"
 * or "warning" in it, and the list items, table cells' rows or paragraphs under it up to the
 * next heading ("None." means none). A report without such a heading is `recognised: false`: the
 * step then asks a person to read it rather than trust that it holds nothing.
 */
import { pushAll } from '../core/arrays.js'

export interface ReportFindings {
  readonly recognised: boolean
  readonly errors: readonly string[]
  readonly warnings: readonly string[]
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }

function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e.startsWith('#x') || e.startsWith('#X')) return String.fromCodePoint(Number.parseInt(e.slice(2), 16))
      if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)))
      return ENTITIES[e.toLowerCase()] ?? m
    })
    .replace(/\s+/g, ' ')
    .trim()
}

/** The findings of a -Report HTML (see above). */
export function reportFindings(html: string): ReportFindings {
  const errors: string[] = []
  const warnings: string[] = []
  let recognised = false
  const headings = [...html.matchAll(/<h([1-6])[^>]*>([\s\S]*?)<\/h\1>/gi)]
  headings.forEach((h, i) => {
    const title = textOf(h[2] ?? '').toLowerCase()
    const into = /warning/.test(title) ? warnings : /error/.test(title) ? errors : undefined
    if (into === undefined) return
    recognised = true
    const start = (h.index ?? 0) + h[0].length
    const section = html.slice(start, headings[i + 1]?.index ?? html.length)
    const items = [...section.matchAll(/<(li|tr|p)\b[^>]*>([\s\S]*?)<\/\1>/gi)].map((m) => textOf(m[2] ?? '')).filter((t) => t !== '' && !/^none\.?$/i.test(t))
    pushAll(into, items)
  })
  return { recognised, errors, warnings }
}

/** `a` and then what `b` adds: the same finding from both sources is listed once. */
export function mergeFindings(a: readonly string[], b: readonly string[]): string[] {
  const key = (t: string): string => t.replace(/\s+/g, ' ').trim().toLowerCase()
  const seen = new Set(a.map(key))
  return [...a, ...b.filter((t) => !seen.has(key(t)) && (seen.add(key(t)), true))]
}
