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

/** Every character that ends a line somewhere (CR, LF, NEL, LS, PS) written as an escape, so that
 * a key or value quoted in a message cannot split its one line (a terminal, an editor or a CI log
 * would break it there). */
export function escapeLineBreaks(text: string): string {
  return text.replace(/[\r\n\u0085\u2028\u2029]/g, (c) => c === '\r' ? '\\r' : c === '\n' ? '\\n' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
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
