import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { planStepIds } from '../../runner/cli/open-plan.js'
import { validatePlanText } from '../../runner/plan/load.js'

/**
 * The corpus of bad plans: each file in test/plans/bad/ declares what validation must report, in
 * comment lines of the form
 *   # expect: <error|warning> <rule-id> <line>:<column>
 * Every declared finding must be reported at exactly that place, and no other error may be.
 * Files whose bytes are not plain text (binary junk) are named *.bin and declare in a sidecar
 * <name>.expect file.
 */
const dir = join(import.meta.dirname, '..', 'plans', 'bad')

interface Expected {
  readonly severity: string
  readonly rule: string
  readonly line: number
  readonly column: number
}

function expectations(text: string): Expected[] {
  const out: Expected[] = []
  for (const m of text.matchAll(/^# expect: (error|warning) (\S+) (\d+):(\d+)\s*$/gm)) {
    out.push({ severity: m[1] ?? '', rule: m[2] ?? '', line: Number(m[3]), column: Number(m[4]) })
  }
  return out
}

const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.bin')).sort()

describe('bad plan corpus', () => {
  it('has at least 40 plans', () => {
    expect(files.length).toBeGreaterThanOrEqual(40)
  })

  it.each(files)('%s', (file) => {
    const bytes = readFileSync(join(dir, file))
    const declared = file.endsWith('.bin') ? readFileSync(join(dir, file.replace(/\.bin$/, '.expect')), 'utf8') : bytes.toString('utf8')
    const expected = expectations(declared)
    expect(expected.length, 'the file declares what it expects').toBeGreaterThan(0)
    // With the step ids, as the CLI validates (the checkpoint-before rule needs them).
    const result = validatePlanText(bytes.toString('utf8'), file, planStepIds)
    const got = result.findings.map((f) => ({ severity: f.severity, rule: f.rule, line: f.line, column: f.column }))
    for (const e of expected) expect(got).toContainEqual(e)
    // Nothing else may be an error: a corpus file tests one problem, not noise around it.
    const undeclaredErrors = got.filter((g) => g.severity === 'error' && !expected.some((e) => e.rule === g.rule && e.line === g.line && e.column === g.column))
    expect(undeclaredErrors).toEqual([])
    if (expected.some((e) => e.severity === 'error')) expect(result.plan).toBeUndefined()
    for (const f of result.findings) {
      expect(f.message.length, 'a message says something').toBeGreaterThan(10)
      expect(f.message, "no line break splits the line").not.toMatch(/[\r\n\u0085\u2028\u2029]/)
    }
  })
})
