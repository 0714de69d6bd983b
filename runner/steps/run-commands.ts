import type { Command } from '../hosts/command.js'
import type { CommandResult } from '../hosts/host.js'
import type { RunContext } from './kind.js'

/** Runs commands in order through the run's host, logging their output; stops at the first error. */
export async function runCommands(ctx: RunContext, commands: readonly Command[]): Promise<CommandResult[]> {
  const results: CommandResult[] = []
  for (const command of commands) {
    ctx.log(`> ${command.cmdlet}${command.computer === undefined ? '' : ` (on ${command.computer})`}`)
    const result = await ctx.host.run(command, { stepId: ctx.step.id, progress: ctx.progress, log: ctx.log })
    for (const line of result.output) ctx.log(line)
    results.push(result)
  }
  return results
}

export function warningsOf(results: readonly CommandResult[]): string[] {
  return results.flatMap((r) => [...(r.warnings ?? [])])
}
