import type { Path } from '../yaml.js'
import type { Rule } from './rule.js'

/** The characters PowerShell's wildcard matching gives a meaning (about_Wildcards). */
const WILDCARD = /[*?[\]]/

/**
 * Values that reach a parameter which expands wildcards: `Stop-Service -Name` and
 * `Start-Service -Name` (sources[].services), `Stop-/Start-CsWindowsService -Name`
 * (target.services, treated the same: Microsoft does not say it takes them literally). Neither
 * has a literal form of -Name, so such a value is refused: `services: ["*"]` would stop every
 * service on the server. (The file store reaches `Copy-Item -Path` escaped, runner/core/wildcard.ts.)
 */
export const wildcardName: Rule = {
  id: 'wildcard-name',
  describe: 'service names hold no wildcard characters',
  check({ plan, report }) {
    const places: { path: Path; value: string; what: string }[] = []
    plan.sources.forEach((s, i) => {
      s.services?.forEach((v, j) => places.push({ path: ['sources', i, 'services', j], value: v, what: 'Stop-Service -Name and Start-Service -Name' }))
    })
    plan.target.services?.forEach((v, j) => places.push({ path: ['target', 'services', j], value: v, what: 'Stop-CsWindowsService -Name and Start-CsWindowsService -Name' }))
    for (const p of places) {
      const found = WILDCARD.exec(p.value)
      if (found === null) continue
      report({ path: p.path, severity: 'error', message: `'${p.value}' holds the wildcard character '${found[0]}': ${p.what} would expand it and reach every matching item (services: ["*"] stops every service on the server); write the exact name` })
    }
  },
}
