const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" }

export const decodeHtml = (t: string) => t.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ENTITIES[e] ?? '')

/** The SVG drawings reduced to what they show, since their coordinates move with the clock. */
function svgSummary(svg: string): string {
  const cls = /class="([^"]*)"/.exec(svg)?.[1] ?? ''
  const bars = [...svg.matchAll(/<rect class="bar ([^"]*)"/g)].map((m) => m[1])
  const marks = [...svg.matchAll(/<rect class="(track|margin|downtime[^"]*)"/g)].map((m) => m[1])
  return `\n[svg ${cls}: ${bars.length > 0 ? `${bars.length} step bar(s): ${bars.join(', ')}` : marks.join(', ')}]\n`
}

/**
 * The report page as text lines a snapshot can hold and a person can review: the title, the
 * CSP, headings and paragraphs, table rows as `| cells` (a `|` in a value written `\\|`) with `[tr.class]` for highlighted rows
 * and `!` before cells marked as mismatches, and a line per SVG.
 */
export function htmlOutline(page: string): string {
  const title = /<title>([\s\S]*?)<\/title>/.exec(page)?.[1] ?? ''
  const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(page)?.[1] ?? '(none)'
  const body = /<body>([\s\S]*)<\/body>/.exec(page)?.[1] ?? ''
  const text = body
    .replace(/\|/g, '\\|') // a | inside a name is not a cell boundary
    .replace(/<svg[\s\S]*?<\/svg>/g, svgSummary)
    .replace(/<tr class="([^"]*)"[^>]*>/g, '\n[tr.$1] ')
    .replace(/<tr[^>]*>/g, '\n')
    .replace(/<t[dh](?: class="([^"]*)")?>/g, (_, cls: string | undefined) => (cls?.split(' ').includes('mismatch') === true ? ' | !' : ' | '))
    .replace(/<br>/g, ' ')
    .replace(/<\/?(?:h1|h2|p|li|dt|dd|caption|section|header|footer|figcaption|ul|table|thead|tbody|main)\b[^>]*>/g, '\n')
    .replace(/<[^>]+>/g, '')
  const lines = decodeHtml(text).split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).filter((l) => l !== '')
  return [`title: ${decodeHtml(title)}`, `csp: ${decodeHtml(csp).replace(/'sha256-[^']+'/, "'sha256-<hash of the stylesheet>'")}`, ...lines].join('\n') + '\n'
}
