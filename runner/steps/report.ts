import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { compile } from '../compile/compile.js'
import type { Plan } from '../plan/types.js'
import type { StepRecord } from '../state/types.js'
import type { Step, StepKind } from './kind.js'

/** The run report as Markdown: every step with its status, attempts and duration, then what
 * verification found. Regenerated from the state, so it says what happened, not what was meant. */
export function renderReport(plan: Plan, steps: readonly Step[], records: Readonly<Record<string, StepRecord>>, now: Date): string {
  const lines = [`# cutover report: ${plan.name}`, '', `Generated ${now.toISOString()}. Downtime window ${plan.downtime.start} to ${plan.downtime.end} (${plan.downtime.timezone}).`, '']
  if (plan.environment.shell === 'lab') lines.push('> This run used the embedded **lab emulator**, not a Lync deployment.', '')
  lines.push('| step | status | attempts | started | duration |', '|---|---|---|---|---|')
  for (const s of steps) {
    const r = records[s.id]
    const ms = r?.startedAt !== undefined && r.endedAt !== undefined ? Date.parse(r.endedAt) - Date.parse(r.startedAt) : undefined
    const status = s.id === 'post.report' ? 'done' : r?.status ?? 'pending'
    lines.push(`| \`${s.id}\` ${s.title.replace(/\|/g, '\\|')} | ${status}${r?.approvedBy === undefined ? '' : ` (approved by ${r.approvedBy})`} | ${r?.attempts ?? 0} | ${r?.startedAt ?? ''} | ${ms === undefined ? '' : `${(ms / 1000).toFixed(1)} s`} |`)
  }
  const verify = records['cutover.verify']?.outputs
  if (verify !== undefined) {
    lines.push('', '## Verification', '', `${String(verify.categories)} categories, ${String(verify.rooms)} rooms and ${String(verify.messages)} messages match the frozen inventory (${String(verify.differences)} differences).`)
  }
  const warnings = steps.flatMap((s) => {
    const w = records[s.id]?.outputs?.warnings
    return Array.isArray(w) ? w.map((x) => `- \`${s.id}\`: ${String(x)}`) : []
  })
  if (warnings.length > 0) lines.push('', '## Warnings', '', ...warnings)
  return lines.join('\n') + '\n'
}

export const reportKind: StepKind = {
  kind: 'report',
  idempotent: true,
  render: () => [{ type: 'report', file: 'report.md' }],
  async run(ctx) {
    const text = renderReport(ctx.plan, compile(ctx.plan), ctx.records, ctx.clock.now())
    await mkdir(ctx.artifactsDir, { recursive: true })
    const file = join(ctx.artifactsDir, 'report.md')
    await writeFile(`${file}.tmp`, text)
    await rename(`${file}.tmp`, file)
    ctx.log(`report written to ${file}`)
    return { outputs: { file: 'report.md' } }
  },
}
