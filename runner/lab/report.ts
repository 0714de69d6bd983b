/** The HTML report a lab emulator export or import writes for -Report, like the real cmdlets' log. */
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { writeFileAtomic } from './atomic-file.js'

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

export interface ReportContent {
  readonly title: string
  readonly summary: readonly string[]
  readonly errors: readonly string[]
  readonly warnings: readonly string[]
}

export async function writeReport(file: string, content: ReportContent): Promise<void> {
  const list = (items: readonly string[]): string => (items.length === 0 ? '<p>None.</p>' : `<ul>\n${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('\n')}\n</ul>`)
  const html = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${escapeHtml(content.title)}</title></head>
<body>
<h1>${escapeHtml(content.title)}</h1>
<p><strong>lab emulator report</strong>: written by the cutover lab emulator, not by a Microsoft cmdlet.</p>
${list(content.summary)}
<h2>Errors</h2>
${list(content.errors)}
<h2>Warnings</h2>
${list(content.warnings)}
</body></html>
`
  await mkdir(dirname(file), { recursive: true })
  await writeFileAtomic(file, html)
}
