/**
 * A command as data: what a step asks a host to run. The PowerShell host renders it through the
 * one quoting helper (runner/runtimes/powershell/quote.ts); the lab host executes it in-process against the lab stores.
 * Both receive the same objects, so the preview and the lab run cannot drift apart.
 */

/** A parameter value, typed the way PowerShell needs it rendered. */
export type ParamValue =
  | string // a single-quoted literal
  | number // a number literal
  | readonly string[] // @('a', 'b')
  | { readonly switch: true } // -WhatIf (present)
  | { readonly bool: boolean } // -Disabled $true / $false
  | { readonly date: string } // an ISO 8601 date or date-time, parsed invariantly
  | { readonly addRemove: { readonly add?: readonly string[]; readonly remove?: readonly string[] } } // @{Add=...; Remove=...}
  | { readonly scriptBlock: string } // ([scriptblock]::Create('...')): an admin's own script, quoted like any value

export interface Command {
  /** A documented cmdlet name (docs/microsoft-facts.md#management-cmdlets), e.g. `Export-CsPersistentChatData`. */
  readonly cmdlet: string
  /** Named parameters in the order they are written; the name without the leading '-'. */
  readonly params: readonly (readonly [name: string, value: ParamValue])[]
  /** Run on another computer (Invoke-Command -ComputerName), e.g. a legacy Group Chat server. */
  readonly computer?: string
  /** A read-only probe (the readiness check): its failure is its result, `data.failed` with the
   * error's text, and the batch goes on to the next command. */
  readonly probe?: true
}
