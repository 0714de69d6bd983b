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
