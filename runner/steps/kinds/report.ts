import { stepId } from '../../core/step.js'
import type { StepId } from '../../core/step.js'
import { defineStep, makeStep } from '../define.js'

export type ReportInput = { readonly name: string }

/** The step that writes the run report. */
export function reportId(): StepId<'report'> {
  return stepId('report', 'post.report')
}

/** Writes the run report (report.md) among the artifacts; `cutover report` rebuilds it any time. */
export const reportKind = defineStep<'report', ReportInput>({
  kind: 'report',
  traits: { idempotent: true },
  fromPlan: (plan) => [{ slot: 'report', step: makeStep('report', reportId(), 'post', 'Write the run report', { name: plan.name }) }],
  preview: () => [{ type: 'report', file: 'report.md' }],
  async run(_step, ctx) {
    const file = await ctx.writeReport()
    ctx.log(`report written to ${file}`)
    return { outputs: { file: 'report.md' } }
  },
})
