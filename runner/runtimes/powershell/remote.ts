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
  return launcher({ plan: { name: plan.name }, step: { id: step.id }, remote, script: scriptPath, marker: RESULT_MARKER, credssp: credsspView(plan) })
}

const WHOLE_ENV_REF = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/

/** What the launcher needs for a CredSSP session: variable names only, never a value; false
 * with authentication: default. The user is a name, or one whole ${env:NAME}. */
function credsspView(plan: Plan): false | { user: string; userVariable: string | false; passwordVariable: string; missing: string } {
  const r = plan.environment.remoting
  if (r?.authentication !== 'credssp') return false
  const credential = r.credential
  if (credential === undefined) throw new Error('environment.remoting.authentication is credssp but credential is missing (validate refuses this plan)')
  const password = WHOLE_ENV_REF.exec(credential.password)?.[1]
  if (password === undefined) throw new Error('environment.remoting.credential.password must be one ${env:NAME} reference')
  const userVariable = WHOLE_ENV_REF.exec(credential.user)?.[1]
  return { user: credential.user, userVariable: userVariable ?? false, passwordVariable: password, missing: userVariable === undefined ? password : `${userVariable} or ${password}` }
}
