import { checkpointTargets } from '../compile/compile.js'
import type { StepIds } from '../plan/load.js'
import { platformOf } from '../runtimes/index.js'

/** The steps a plan's checkpoints may name, for validation (plan/rules/checkpoints.ts). Its own
 * module: it loads every step kind, which `validate` does only for a plan with checkpoints. */
export const planStepIds: StepIds = (plan) => checkpointTargets(plan, platformOf(plan))
