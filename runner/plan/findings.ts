/** Findings: what validation reports, each pinned to a place in the plan file. */

export type Severity = 'error' | 'warning'

export interface Finding {
  readonly file: string
  readonly line: number
  readonly column: number
  readonly severity: Severity
  readonly message: string
  /** Stable id of the check, e.g. `duplicate-source-id`, `schema/unknown-key`, `yaml/duplicate-key`. */
  readonly rule: string
}

export function formatFinding(f: Finding): string {
  return `${f.file}:${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.rule}]`
}

export function countBySeverity(findings: readonly Finding[]): { errors: number; warnings: number } {
  let errors = 0
  let warnings = 0
  for (const f of findings) {
    if (f.severity === 'error') errors++
    else warnings++
  }
  return { errors, warnings }
}
