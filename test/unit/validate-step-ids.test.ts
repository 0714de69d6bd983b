import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { run } from '../../runner/cli/commands/validate.js'
import { planStepIds } from '../../runner/cli/open-plan.js'
import { formatFinding } from '../../runner/plan/findings.js'
import { validatePlanText } from '../../runner/plan/load.js'

const ROOT = join(import.meta.dirname, '..', '..')

/** `cutover validate` in this process, its stdout lines and exit code. */
async function validate(files: readonly string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = []
  const code = await run(files, { stdout: (l) => lines.push(l), stderr: (l) => lines.push(`stderr: ${l}`) })
  return { code, lines }
}

// validate loads the step ids only when a checkpoint asks for them (the plan is then validated a
// second time): the findings must be those of a validation that had them from the start.
describe('validate and the step ids of checkpoints, loaded on demand', () => {
  it('reports a checkpoint before no step of the plan, as validation with the step ids does', async () => {
    const file = 'test/plans/bad/rule-checkpoint-before.yaml'
    const expected = validatePlanText(readFileSync(join(ROOT, file), 'utf8'), file, planStepIds).findings
    expect(expected.some((f) => f.rule === 'checkpoint-before')).toBe(true)
    const got = await validate([join(ROOT, file)])
    expect(got.code).toBe(1)
    expect(got.lines.slice(0, -1)).toEqual(expected.map((f) => formatFinding({ ...f, file: join(ROOT, file) })))
  })

  it('finds checkpoints whose key does not spell the word (escapes), by validating again with the step ids', async () => {
    // "\x63heckpoints" is checkpoints: the text never names the word that loads the ids at once.
    const text = readFileSync(join(ROOT, 'test/plans/bad/rule-checkpoint-before.yaml'), 'utf8').replace(/^checkpoints:/m, '"\\x63heckpoints":')
    expect(text).not.toContain('checkpoints')
    const file = join(mkdtempSync(join(tmpdir(), 'cutover-validate-')), 'escaped.yaml')
    writeFileSync(file, text)
    const expected = validatePlanText(text, file, planStepIds).findings
    expect(expected.some((f) => f.rule === 'checkpoint-before')).toBe(true)
    const got = await validate([file])
    expect(got.lines.slice(0, -1)).toEqual(expected.map((f) => formatFinding(f)))
  })

  it('accepts plans with and without checkpoints in one run', async () => {
    const files = ['plans/contoso-lync2010.yaml', 'plans/fabrikam-ocs2007r2.yaml'].map((f) => join(ROOT, f))
    expect(await validate(files)).toEqual({ code: 0, lines: files.map((f) => `${f}: valid`) })
  })
})
