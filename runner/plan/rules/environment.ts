import { parseDuration } from '../../core/time.js'
import type { Rule } from './rule.js'

export const scriptTimeout: Rule = {
  id: 'script-timeout',
  describe: 'a script may run for some time before it is stopped',
  check({ plan, report }) {
    // The schema checks the form; a zero duration would stop every script the moment it starts.
    if (parseDuration(plan.environment.scriptTimeout) === 0) {
      report({ path: ['environment', 'scriptTimeout'], severity: 'error', message: `scriptTimeout ${plan.environment.scriptTimeout} would stop every script as it starts; give the longest a step may take, e.g. 2h (an export or import of a large store can take hours)` })
    }
  },
}

/** A whole `${env:NAME}`, nothing around it. */
const WHOLE_ENV_REF = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/

export const remoting: Rule = {
  id: 'remoting',
  describe: 'environment.remoting says how the session on environment.remote authenticates',
  check({ plan, report }) {
    const r = plan.environment.remoting
    if (r === undefined) return
    if (plan.environment.remote === undefined) {
      report({ path: ['environment', 'remoting'], part: 'key', severity: 'warning', message: 'environment.remoting has no effect without environment.remote: the scripts run on this computer, and every command reaches other machines with your own credentials (first hop)' })
    }
    if (r.authentication === 'credssp' && r.credential === undefined) {
      report({ path: ['environment', 'remoting', 'authentication'], severity: 'error', message: 'authentication: credssp needs credential: { user: DOMAIN\\user, password: ${env:NAME} }: CredSSP sends an explicit credential to the Lync server (docs/security.md#remoting-and-the-second-hop)' })
    }
    const user = r.credential?.user
    if (user !== undefined && user.includes('${') && !WHOLE_ENV_REF.test(user)) {
      report({ path: ['environment', 'remoting', 'credential', 'user'], severity: 'error', message: 'credential.user is either a name (CONTOSO\\svc-cutover) or one whole ${env:NAME} reference, not a mix' })
    }
    if (r.authentication === 'default' && r.credential !== undefined) {
      report({ path: ['environment', 'remoting', 'credential'], part: 'key', severity: 'warning', message: 'credential is used only with authentication: credssp; with default the session uses your own Kerberos ticket' })
    }
  },
}
