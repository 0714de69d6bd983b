import { readFileSync } from 'node:fs'
import { UsageError } from '../../core/errors.js'
import { countBySeverity, formatFinding } from '../../plan/findings.js'
import type { Finding } from '../../plan/findings.js'
import { validatePlanText } from '../../plan/load.js'
import type { LoadedPlan, StepIds } from '../../plan/load.js'
import { oneOf, parseCommandArgs } from '../args.js'
import { EXIT } from '../../core/errors.js'
import type { ExitCode } from '../../core/errors.js'
import type { Output } from '../output.js'
import { pushAll } from '../../core/arrays.js'

export const usage = `usage: cutover validate <plan.yaml>... [--format text|json|github] [--strict]

Checks plans (YAML, schema, semantic rules) and prints one line per finding:
  path:line:col: error|warning: message [rule-id]
--format github prints GitHub Actions annotations (::error file=...,line=...::message), which a
pull request shows inline. Reads the files and nothing else. Exit 0 valid, 1 invalid (or warnings
with --strict), 2 usage.`

export async function run(argv: readonly string[], out: Output): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('validate', argv, {
    format: { type: 'string' },
    strict: { type: 'boolean' },
  })
  const format = oneOf('validate', 'format', values.format, ['text', 'json', 'github'] as const, 'text')
  if (positionals.length === 0) throw new UsageError('validate: name the plan file to check, e.g. cutover validate plans/lab.yaml')
  const all: Finding[] = []
  let failed = false
  for (const file of positionals) {
    const result = await validated(readPlanText(file), file)
    const findings = values.strict === true ? result.findings.map((f) => ({ ...f, severity: 'error' as const })) : [...result.findings]
    const { errors, warnings } = countBySeverity(findings)
    if (errors > 0) failed = true
    pushAll(all, findings)
    if (format === 'text') {
      for (const f of findings) out.stdout(formatFinding(f))
      out.stdout(summary(file, errors, warnings))
    } else if (format === 'github') {
      for (const f of findings) out.stdout(githubAnnotation(f))
    }
  }
  if (format === 'json') out.stdout(JSON.stringify(all, null, 2))
  return failed ? EXIT.failed : EXIT.ok
}

/** Thrown by the stand-in for the plan's step ids: a checkpoint's rule asked for them. */
class StepIdsNeeded extends Error {}

const stepIdsNotLoaded: StepIds = () => {
  throw new StepIdsNeeded()
}

/** The plan validated, with its step ids loaded only when a checkpoint needs them: they come from
 * compiling the plan, and loading every step kind for that cost about a sixth of validating a plan
 * without checkpoints (issue 14). A plan whose text names `checkpoints` gets them at once; one that
 * has checkpoints without the word (a key written with escapes) is validated a second time. */
async function validated(text: string, file: string): Promise<LoadedPlan> {
  const stepIds = text.includes('checkpoints') ? (await import('../plan-step-ids.js')).planStepIds : stepIdsNotLoaded
  try {
    return validatePlanText(text, file, stepIds)
  } catch (e) {
    if (!(e instanceof StepIdsNeeded)) throw e
  }
  const { planStepIds } = await import('../plan-step-ids.js')
  return validatePlanText(text, file, planStepIds)
}

/** Read synchronously: validate reads its files and nothing else, and the first fs/promises call
 * costs about 4 ms of a 70 ms validate (issue 14). */
function readPlanText(file: string): string {
  try {
    return readFileSync(file).toString('utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : String(code ?? e)
    throw new UsageError(`validate: cannot read ${file}: ${why}`)
  }
}

function summary(file: string, errors: number, warnings: number): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  if (errors > 0) return `${file}: invalid, ${plural(errors, 'error')}${warnings > 0 ? `, ${plural(warnings, 'warning')}` : ''}`
  return `${file}: valid${warnings > 0 ? ` (${plural(warnings, 'warning')})` : ''}`
}

/** A GitHub Actions workflow command; its escaping rules are GitHub's (data: %, CR, LF; properties
 * also : and ,). */
export function githubAnnotation(f: Finding): string {
  const data = (t: string) => t.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
  const prop = (t: string) => data(t).replace(/:/g, '%3A').replace(/,/g, '%2C')
  return `::${f.severity} file=${prop(f.file)},line=${f.line},col=${f.column},title=${prop(`cutover ${f.rule}`)}::${data(f.message)}`
}
