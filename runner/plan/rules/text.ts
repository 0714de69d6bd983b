import type { Rule } from './rule.js'
import { planStrings } from './strings.js'

// TAB, LF and CR are text; every other C0 control, DEL and the C1 controls are not, and the one
// quoting helper refuses them, so refuse them here, where the admin can fix the plan.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/

export const controlCharacter: Rule = {
  id: 'control-character',
  describe: 'no value holds a control character (an escape such as "\\x07" in a quoted string)',
  check({ plan, report }) {
    for (const s of planStrings(plan)) {
      const m = CONTROL.exec(s.value)
      if (m !== null) {
        const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')
        report({ path: s.path, severity: 'error', message: `this value holds the control character U+${code} (at position ${m.index + 1}); no script can carry it safely: remove it` })
      }
    }
  },
}
