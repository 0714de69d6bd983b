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

/**
 * Which content the export brought, as the message counts show it. Export-CsPersistentChatData's
 * page says -StartDate "is valid only when Level is set to RoomDirectory", so an export with the
 * default level may ignore it: `since-cutoff` (counts match the content since the cutoff),
 * `all-content` (they match every message: -StartDate was ignored), `no-cutoff` (the plan has none).
 * When no legacy message predates the cutoff the two are the same, and it says `since-cutoff`.
 */
export interface ContentSeen {
  readonly kind: 'since-cutoff' | 'all-content' | 'no-cutoff'
  /** The cutoff instant (ISO 8601 UTC), as the export and the inventory used it. */
  readonly cutoff: string | null
  /** Legacy messages older than the cutoff, in the rooms verification expects. */
  readonly olderMessages: number
}

export interface VerificationFile {
  readonly expected: { readonly categories: number; readonly rooms: number; readonly messages: number }
  /** Absent in files written before verification told the two apart. */
  readonly content?: ContentSeen
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
