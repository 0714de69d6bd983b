import type { Path } from '../yaml.js'
import type { Rule } from './rule.js'

// TAB, LF and CR are text; every other C0 control, DEL and the C1 controls are not, and the one
// quoting helper refuses them, so refuse them here, where the admin can fix the plan.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/

function* strings(value: unknown, path: Path): Generator<{ path: Path; value: string }> {
  if (typeof value === 'string') yield { path, value }
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, [...path, i])
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* strings(v, [...path, k])
}

export const controlCharacter: Rule = {
  id: 'control-character',
  describe: 'no value holds a control character (an escape such as "\\x07" in a quoted string)',
  check({ plan, report }) {
    for (const s of strings(plan, [])) {
      const m = CONTROL.exec(s.value)
      if (m !== null) {
        const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')
        report({ path: s.path, severity: 'error', message: `this value holds the control character U+${code} (at position ${m.index + 1}); no script can carry it safely: remove it` })
      }
    }
  },
}
