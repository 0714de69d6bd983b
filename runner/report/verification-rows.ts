import type { Difference, VerificationFile, VerificationRow } from '../sql/verification.js'

/** A verified room with the differences verification found for it, each with its reason. */
export interface RoomCheck {
  readonly row: VerificationRow
  /** Every role type either store has for the room, sorted. */
  readonly roleTypes: readonly string[]
  readonly differences: readonly Difference[]
  readonly reasons: readonly string[]
}

/** Why a room differs, in words; the room itself is named by the row it is shown in. */
function reason(d: Difference, roleType: string | undefined): string {
  switch (d.kind) {
    case 'missing-room': return 'missing in Persistent Chat'
    case 'messages': return `${d.actual} messages in Persistent Chat, ${d.expected} expected`
    case 'roles': return `${roleType ?? 'role'}: ${d.actual} holder(s) in Persistent Chat, ${d.expected} expected`
    case 'category': return `in category '${d.actual}', '${d.expected}' expected`
    default: return `${d.kind}: expected ${d.expected}, found ${d.actual}`
  }
}

/**
 * Pairs each verified room with its differences. A roles difference is named `<room> (<type>)`;
 * matching the type against the room's own role types (rather than stripping a trailing
 * parenthesis) keeps rooms whose names end in parentheses, which the lab has, matched exactly.
 */
export function roomChecks(v: VerificationFile): readonly RoomCheck[] {
  return v.rooms.map((row) => {
    const roleTypes = Object.keys({ ...row.legacyRoles, ...(row.roles ?? {}) }).sort()
    const pairs = v.differences.flatMap((d): [Difference, string | undefined][] => {
      if (d.kind === 'roles') {
        const type = roleTypes.find((t) => d.name === `${row.room} (${t})`)
        return type === undefined ? [] : [[d, type]]
      }
      return (d.kind === 'missing-room' || d.kind === 'messages' || d.kind === 'category') && d.name === row.room ? [[d, undefined]] : []
    })
    return { row, roleTypes, differences: pairs.map(([d]) => d), reasons: pairs.map(([d, t]) => reason(d, t)) }
  })
}

/** Differences no room row shows: categories, and rooms Persistent Chat has but should not. */
export function otherDifferences(v: VerificationFile, checks: readonly RoomCheck[]): readonly Difference[] {
  const shown = new Set(checks.flatMap((c) => c.differences))
  return v.differences.filter((d) => !shown.has(d))
}

/** `Manager 2→2, Member 7→7`: role holders per type, legacy then Persistent Chat. */
export function rolesCompared(c: RoomCheck): string {
  return c.roleTypes.map((k) => `${k} ${c.row.legacyRoles[k] ?? 0}→${c.row.roles?.[k] ?? 0}`).join(', ')
}
