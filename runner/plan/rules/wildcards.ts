import type { Path } from '../yaml.js'
import type { Rule } from './rule.js'

/** The characters PowerShell's wildcard matching gives a meaning (about_Wildcards). */
const WILDCARD = /[*?[\]]/

/**
 * Values that reach a parameter which expands wildcards: `Stop-Service -Name` and
 * `Start-Service -Name` (sources[].services), `Stop-/Start-CsWindowsService -Name`
 * (target.services, treated the same: Microsoft does not say it takes them literally) and
 * `Copy-Item -Path` (sources[].fileStore, whose contents are copied with a trailing `\*`).
 * Neither cmdlet has a literal form of that parameter, so such a value is refused: `services: ["*"]`
 * would stop every service on the server.
 */
export const wildcardName: Rule = {
  id: 'wildcard-name',
  describe: 'service names and the legacy file store hold no wildcard characters',
  check({ plan, report }) {
    const places: { path: Path; value: string; what: string }[] = []
    plan.sources.forEach((s, i) => {
      s.services?.forEach((v, j) => places.push({ path: ['sources', i, 'services', j], value: v, what: 'Stop-Service -Name and Start-Service -Name' }))
      if (s.fileStore !== undefined) places.push({ path: ['sources', i, 'fileStore'], value: s.fileStore, what: 'Copy-Item -Path' })
    })
    plan.target.services?.forEach((v, j) => places.push({ path: ['target', 'services', j], value: v, what: 'Stop-CsWindowsService -Name and Start-CsWindowsService -Name' }))
    for (const p of places) {
      const found = WILDCARD.exec(p.value)
      if (found === null) continue
      report({ path: p.path, severity: 'error', message: `'${p.value}' holds the wildcard character '${found[0]}': ${p.what} would expand it and reach every matching item (services: ["*"] stops every service on the server); write the exact name` })
    }
  },
}
