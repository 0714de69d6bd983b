import { compile } from '../compile/compile.js'
import { readVerification } from '../report/load.js'
import { reportMarkdown } from '../report/markdown.js'
import { buildReport } from '../report/model.js'
import { writeArtifactText } from './artifacts.js'
import type { StepKind } from './kind.js'

/** Writes the run report (report.md) among the artifacts; `cutover report` rebuilds it any time. */
export const reportKind: StepKind = {
  kind: 'report',
  idempotent: true,
  render: () => [{ type: 'report', file: 'report.md' }],
  async run(ctx) {
    const text = reportMarkdown(buildReport({
      plan: ctx.plan, steps: compile(ctx.plan), records: ctx.records, journal: await ctx.journal(),
      verification: await readVerification(ctx.artifactsDir), now: ctx.clock.now(), planState: ctx.planState,
    }))
    const file = await writeArtifactText(ctx.artifactsDir, 'report.md', text)
    ctx.log(`report written to ${file}`)
    return { outputs: { file: 'report.md' } }
  },
}
