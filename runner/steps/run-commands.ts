import type { Command } from '../core/command.js'
import type { CommandResult } from '../core/host.js'
import type { StepId } from '../core/step.js'
import type { RunContext } from './define.js'

/** Runs a step's commands as one batch through the run's host, logging their output; the host
 * stops at the first error. */
export async function runCommands(ctx: RunContext, stepId: StepId, commands: readonly Command[]): Promise<CommandResult[]> {
  if (commands.length === 0) return []
  for (const command of commands) ctx.log(`> ${command.cmdlet}${command.computer === undefined ? '' : ` (on ${command.computer})`}`)
  const results = await ctx.host.run(commands, { stepId, progress: ctx.progress, log: ctx.log, signal: ctx.signal })
  for (const result of results) for (const line of result.output) ctx.log(line)
  return results
}

/** The warnings the host collected from every command's -WarningVariable. */
export function warningsOf(results: readonly CommandResult[]): string[] {
  return results.flatMap((r) => [...(r.warnings ?? [])])
}
