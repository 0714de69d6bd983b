import { readFile } from 'node:fs/promises'
import type { Finding } from './findings.js'
import { RULES } from './rules/index.js'
import { fastPlanValue } from './fast-yaml.js'
import { checkSchema, planValidator } from './schema.js'
import type { Plan } from './types.js'
import { PlanDocument } from './yaml.js'

export interface LoadedPlan {
  readonly file: string
  /** Present when the plan has no errors (warnings allowed). */
  readonly plan?: Plan
  readonly findings: readonly Finding[]
}

/** Validates plan text in three stages (YAML → schema → semantic rules); pure, no I/O. Later
 * stages run only on what the earlier ones accepted, so each finding is about a real problem. */
export function validatePlanText(text: string, file: string, stepIds?: StepIds): LoadedPlan {
  return cleanFast(text, file, stepIds) ?? validateWithPositions(text, file, stepIds)
}

/** The ids of the steps a plan compiles, without its checkpoints (compile/compile.ts
 * checkpointTargets); the CLI passes it, since plan/ cannot compile. */
export type StepIds = (plan: Plan) => readonly string[]

function lazyIds(plan: Plan, stepIds: StepIds | undefined): (() => readonly string[]) | undefined {
  if (stepIds === undefined) return undefined
  let ids: readonly string[] | undefined
  return () => (ids ??= stepIds(plan))
}

/** The fast path (runner/plan/fast-yaml.ts): a plan that js-yaml reads plainly and that the schema
 * and every rule accept without a word. Anything to say, the `yaml` path says, with positions:
 * a finding here, or a line asked for, sends the whole plan there. */
function cleanFast(text: string, file: string, stepIds: StepIds | undefined): LoadedPlan | undefined {
  const value = fastPlanValue(text)
  if (value === undefined || !planValidator()(value)) return undefined
  const plan = value as Plan
  class Speak extends Error {}
  const speak = (): never => {
    throw new Speak()
  }
  const ids = lazyIds(plan, stepIds)
  try {
    for (const rule of RULES) rule.check({ plan, report: speak, lineOf: speak, ...(ids === undefined ? {} : { stepIds: ids }) })
  } catch (e) {
    if (e instanceof Speak) return undefined
    throw e
  }
  return { file, plan, findings: [] }
}

/** The `yaml` path: every finding, placed. */
export function validateWithPositions(text: string, file: string, stepIds?: StepIds): LoadedPlan {
  const parsed = PlanDocument.parse(text, file)
  if (parsed.doc === undefined) return { file, findings: sorted(parsed.findings) }
  const doc = parsed.doc
  const value = parsed.value
  const schemaFindings = checkSchema(value, doc)
  if (schemaFindings.length > 0) return { file, findings: sorted(schemaFindings) }
  const plan = value as Plan
  const findings: Finding[] = []
  const ids = lazyIds(plan, stepIds)
  for (const rule of RULES) {
    rule.check({
      plan,
      ...(ids === undefined ? {} : { stepIds: ids }),
      report: (r) => findings.push(doc.finding(doc.position(r.path, r.part), r.severity, r.message, rule.id)),
      lineOf: (path) => doc.position(path).line,
    })
  }
  const ok = !findings.some((f) => f.severity === 'error')
  return ok ? { file, plan, findings: sorted(findings) } : { file, findings: sorted(findings) }
}

/** Reads and validates a plan file. Throws only for I/O (missing file), which callers report as usage. */
export async function loadPlan(file: string): Promise<LoadedPlan> {
  const bytes = await readFile(file)
  return validatePlanText(bytes.toString('utf8'), file)
}

function sorted(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => a.line - b.line || a.column - b.column)
}
