import type { Step } from '../core/step.js'
import type { Forecast, RenderKnowledge } from '../steps/define.js'
import { kindNamed } from '../steps/registry.js'

/** A step's forecast, or the duration a run of it recorded. */
export interface StepForecast {
  readonly minutes: number
  /** Where the figure comes from. */
  readonly basis: 'recorded' | Forecast['basis']
}

/** Minutes of a cutover step whose kind has no forecast. */
const FALLBACK_MINUTES = 1

/**
 * The forecast of one step of the plan: only cutover steps have one (they are what must fit the
 * window). A duration an earlier run or rehearsal recorded replaces the kind's own forecast
 * (steps/kinds/, sized from the source's inventory when `known` has it).
 */
export function forecastStep(step: Step, recordedMs: number | undefined, known: RenderKnowledge): StepForecast | undefined {
  if (step.phase !== 'cutover') return undefined
  if (recordedMs !== undefined) return { minutes: Math.max(1, Math.ceil(recordedMs / 60_000)), basis: 'recorded' }
  return kindNamed(step.kind)?.forecast?.(step, known) ?? { minutes: FALLBACK_MINUTES, basis: 'default' }
}
