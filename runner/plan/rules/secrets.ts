import type { Path } from '../yaml.js'
import type { Rule } from './rule.js'
import { isScript, planStrings } from './strings.js'

/** `${env:NAME}`: the one way a plan refers to a secret; resolved at run time, never stored. */
export const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g

export const envReference: Rule = {
  id: 'env-ref',
  describe: '${env:NAME} references are well formed',
  check({ plan, report }) {
    for (const s of planStrings(plan)) {
      // Both faults below hold a '$': most of a big plan's 60,000 strings have none to look at.
      if (!s.value.includes('$')) continue
      // PowerShell's own ${var} is legal in a script, which is code, not a plan value.
      if (isScript(s)) continue
      const rest = s.value.replace(ENV_REF, '')
      if (rest.includes('${') || /\$env:/i.test(rest)) {
        report({ path: s.path, severity: 'error', message: `malformed environment reference in '${s.value}'; write \${env:NAME} with a name of letters, digits and _ (e.g. \${env:GC_SQL})` })
      }
    }
  },
}

const PASSWORD = /(?:^|;)\s*(?:password|pwd)\s*=\s*([^;]*)/i

export const secretInPlan: Rule = {
  id: 'secret-in-plan',
  describe: 'no password is written in the plan',
  check({ plan, report }) {
    const places: { path: Path; value: string | undefined }[] = plan.sources.map((s, i) => ({ path: ['sources', i, 'connection'], value: s.connection }))
    places.push({ path: ['target', 'connection'], value: plan.target.connection }, { path: ['state', 'connection'], value: plan.state.connection })
    for (const p of places) {
      const m = p.value === undefined ? null : PASSWORD.exec(p.value)
      const pw = m?.[1]?.trim()
      if (pw === undefined || pw === '' || /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/.test(pw)) continue
      // The message must not repeat the secret it found.
      report({ path: p.path, severity: 'error', message: 'a password is written in the plan; plans are committed to git: put the connection string in an environment variable and write ${env:NAME}' })
    }
  },
}

export const stateConnection: Rule = {
  id: 'state-connection',
  describe: 'a SQL Server state store has a connection',
  check({ plan, report }) {
    if (plan.state.backend === 'mssql' && plan.state.connection === undefined) {
      report({ path: ['state', 'backend'], severity: 'error', message: 'state.backend is mssql but state.connection is missing; add connection: ${env:NAME} naming the state database server' })
    }
  },
}
