import { compile } from '../compile/compile.js'
import type { Step } from '../core/step.js'
import { formatFinding } from '../plan/findings.js'
import { validatePlanText } from '../plan/load.js'
import { platformOf } from '../runtimes/index.js'
import { planStepIds } from './plan-step-ids.js'

/** A plan's text from elsewhere than the plan file (another git commit of it), validated and
 * compiled as this cutover compiles the plan file: its steps, or its first error in one line.
 * `plan --against` and the "changed since it ran" view both read a plan this way. */
export function compilePlanText(text: string, name: string): { readonly steps: Step[] } | { readonly invalid: string } {
  const result = validatePlanText(text, name, planStepIds)
  if (result.plan === undefined) {
    const first = result.findings.find((f) => f.severity === 'error')
    return { invalid: first === undefined ? 'it does not validate' : formatFinding(first) }
  }
  return { steps: compile(result.plan, platformOf(result.plan)) }
}
