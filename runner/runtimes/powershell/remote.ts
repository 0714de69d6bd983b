import { readFileSync } from 'node:fs'
import { RESULT_MARKER } from './protocol.js'
import type { Plan } from '../../plan/types.js'
import { compileTemplate } from './handlebars.js'
import type { ScriptTemplate } from './handlebars.js'
import { templatePath } from './script.js'

/** Templates that wrap a step's script rather than render a step kind. */
export const LAUNCHERS: readonly string[] = ['remote']

let launcher: ScriptTemplate | undefined

/**
 * The script that runs `scriptPath` (a step's rendered script) on `environment.remote` through
 * PowerShell remoting: one session per script, opened and removed around Invoke-Command -FilePath.
 * Every value goes through the quoting helpers, like any other template.
 */
export function renderRemoteLauncher(plan: Plan, step: { readonly id: string }, scriptPath: string): string {
  const remote = plan.environment.remote
  if (remote === undefined) throw new Error('renderRemoteLauncher: the plan has no environment.remote')
  launcher ??= compileTemplate(readFileSync(templatePath('remote'), 'utf8'), 'remote.ps1.hbs')
  return launcher({ plan: { name: plan.name }, step: { id: step.id }, remote, script: scriptPath, marker: RESULT_MARKER })
}
