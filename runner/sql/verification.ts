/** What verification compared, as the verify step writes it and the report reads it. */
import type { Inventory } from './inventory.js'

/** Where verification writes what it compared; the report reads it, also after a failure. */
export const VERIFY_ARTIFACT = 'verify/cutover.verify.json'

/** One room as verification saw it: what the legacy store had (mappings and cutoff applied) and
 * what Persistent Chat has. */
export interface VerificationRow {
  readonly source: string
  readonly legacy: string
  readonly room: string
  readonly category: string
  readonly legacyMessages: number
  readonly messages: number | null
  readonly legacyRoles: Readonly<Record<string, number>>
  readonly roles: Readonly<Record<string, number>> | null
}

export interface VerificationFile {
  readonly expected: { readonly categories: number; readonly rooms: number; readonly messages: number }
  readonly actual: Inventory['totals']
  readonly differences: readonly Difference[]
  /** Role counts that differ where Microsoft documents nothing: information, not a failure. */
  readonly roleNotes?: readonly Difference[]
  readonly rooms: readonly VerificationRow[]
}

export interface Difference {
  readonly kind: 'missing-category' | 'unexpected-category' | 'missing-room' | 'unexpected-room' | 'messages' | 'roles' | 'category'
  readonly name: string
  readonly expected: string | number
  readonly actual: string | number
}
