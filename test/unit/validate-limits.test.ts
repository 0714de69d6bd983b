import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compile } from '../../runner/compile/compile.js'
import { buildPreview } from '../../runner/compile/preview.js'
import { previewMarkdown } from '../../runner/cli/format/preview-markdown.js'
import { previewText } from '../../runner/cli/format/preview-text.js'
import { formatFinding } from '../../runner/plan/findings.js'
import { validatePlanText } from '../../runner/plan/load.js'
import { platformOf } from '../../runner/runtimes/index.js'
import { NOTHING_KNOWN } from '../../runner/steps/define.js'
import { ROOT } from '../helpers/cli.js'

/** Inputs that once crashed, hung or split validate's one-line-per-finding output (issue 13, item 11). */
const base = readFileSync(join(ROOT, 'plans', 'contoso-lync2010.yaml'), 'utf8')
const baseLines = base.split('\n').length

// Speed is measured in bench/ (npm run bench), not here; these tests pin what is reported, which
// shows which path ran (the parser's own error for a stray ] would be yaml/unexpected-token).
const validate = (text: string) => validatePlanText(text, 'p.yaml')

describe('validate on hostile YAML', () => {
  it.each([
    ['2,000 nested [', `x-deep: ${'['.repeat(2000)}${']'.repeat(2000)}\n`],
    ['2,000 nested {a:', `x-deep: ${'{a: '.repeat(2000)}1${'}'.repeat(2000)}\n`],
    ['2,000 nested block mappings', `x-deep:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')} 1\n`],
    ['2,000 nested block sequences', `x-deep:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(2 * i + 1)}-`).join('\n')} 1\n`],
    ['40,000 unclosed [', `x-deep: ${'['.repeat(40_000)}\n`],
  ])('%s: one positioned too-deep error', (_, tail) => {
    const r = validate(base + tail)
    expect(r.findings.map((f) => f.rule)).toEqual(['yaml/too-deep'])
    expect(r.findings[0]?.line).toBeGreaterThanOrEqual(baseLines)
  })

  it('points at the first level past the limit, not where a recursion ran out', () => {
    // k0's mapping is level 2 (the plan is level 1): level 65 is the mapping k63 holds.
    const r = validate(`${base}x-deep:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')} 1\n`)
    expect(r.findings.map((f) => [f.line, f.column])).toEqual([[baseLines + 64, 65]])
  })

  it('40,000 stray ] are one line at the first, found before the parser', () => {
    const r = validate(`${base}notes: ${']'.repeat(40_000)}\n`)
    expect(r.findings.map((f) => [f.rule, f.line, f.column])).toEqual([['yaml/stray-bracket', baseLines, 8]])
  })

  it('a ] inside a flow list, a quoted string or a plain value is not stray', () => {
    const r = validatePlanText(base.replace('title: Remove the Group Chat DNS records', "title: 'Remove the ] DNS records}'"), 'p.yaml')
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([])
  })

  it.each([['CR', '\\r', '\\r'], ['LF', '\\n', '\\n'], ['NEL', '\\u0085', '\\u0085'], ['LS', '\\u2028', '\\u2028'], ['PS', '\\u2029', '\\u2029']])('a %s inside a key is escaped in the message', (_, yamlEscape, shown) => {
    const r = validatePlanText(`${base}"bad${yamlEscape}key": 1\n`, 'p.yaml')
    const lines = r.findings.map(formatFinding)
    expect(lines.length).toBeGreaterThan(0)
    for (const l of lines) expect(l).not.toMatch(/[\r\n\u0085\u2028\u2029]/)
    expect(lines.join(' ')).toContain(`bad${shown}key`)
  })

  it('a year before 2000 in downtime.start is refused and named', () => {
    const r = validatePlanText(base.replace(/start: 2026-12-05T22:00/, 'start: 0026-12-05T22:00'), 'p.yaml')
    const f = r.findings.find((x) => x.rule === 'window-time')
    expect(f?.message).toMatch(/year 26, before 2000/)
    expect(r.plan).toBeUndefined()
  })
})

describe('a line break in a manual step title', () => {
  const r = validatePlanText(base.replace('title: Remove the Group Chat DNS records', 'title: "Remove the\\rGroup Chat\\nDNS records"'), 'p.yaml')
  const plan = r.plan
  if (plan === undefined) throw new Error(JSON.stringify(r.findings))
  const p = buildPreview({ plan, steps: compile(plan, platformOf(plan)), platform: platformOf(plan), emulator: true, records: {}, findings: [], known: NOTHING_KNOWN, now: new Date('2026-12-01T00:00:00Z'), renderScript: () => '' })

  it('keeps the Markdown table row whole', () => {
    const row = previewMarkdown(p, true).split(/\r\n|\r|\n/).find((l) => l.includes('DNS records'))
    expect(row).toMatch(/^\|.*Remove the Group Chat DNS records \| \d+ \|$/)
  })

  it('keeps the text preview line whole', () => {
    const line = previewText(p, true).split(/\r\n|\r|\n/).find((l) => l.includes('DNS records'))
    expect(line).toContain('Remove the\\rGroup Chat\\nDNS records')
  })
})

describe('a preview as long as the plan makes it', () => {
  // V8 refuses a call of more than about 120,000 arguments: lines.push(...script lines) made the
  // text preview of a 60,000-room plan fail with "Maximum call stack size exceeded".
  it('prints a step of 300,000 script lines in text and in Markdown', () => {
    const r = validatePlanText(base, 'p.yaml')
    const plan = r.plan
    if (plan === undefined) throw new Error(JSON.stringify(r.findings))
    const script = Array.from({ length: 300_000 }, (_, i) => `  Set-CsPersistentChatRoom -Identity 'pool\\room ${i}'`).join('\n')
    const p = buildPreview({ plan, steps: compile(plan, platformOf(plan)), platform: platformOf(plan), emulator: true, records: {}, findings: [], known: NOTHING_KNOWN, now: new Date('2026-12-01T00:00:00Z'), renderScript: (step) => (step.kind === 'mappings' ? script : '') })
    const text = previewText(p, true, true)
    expect(text).toContain("Set-CsPersistentChatRoom -Identity 'pool\\room 299999'")
    expect(text.split('\n').length).toBeGreaterThan(300_000)
    // Markdown cuts a script this long for size; it must still be written.
    expect(previewMarkdown(p, true)).toContain('cutover.mappings')
  })
})
