/**
 * How a rendered PowerShell script reports back to the host: exactly one line on standard output
 * that starts with RESULT_MARKER, followed by compact JSON (ConvertTo-Json -Compress). Everything
 * else the script prints is log output. A missing or malformed result line fails the step.
 */
export const RESULT_MARKER = '##cutover-result## '

export interface ScriptCommandResult {
  /** What the command printed, as text lines. */
  readonly output?: readonly string[]
  /** Properties of the objects it returned that a step reads (Get-CsUser: Enabled, ...). */
  readonly data?: Readonly<Record<string, unknown>>
  readonly warnings?: readonly string[]
  /** Non-terminating errors collected (Import -WhatIf reports its findings this way). */
  readonly errors?: readonly string[]
}

export interface ScriptResult {
  /** false when the script caught a terminating error; `error` says which. */
  readonly ok: boolean
  /** One entry per command of the batch that ran, in order. */
  readonly results: readonly ScriptCommandResult[]
  readonly error?: string
}
