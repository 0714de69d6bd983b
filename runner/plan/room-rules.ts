import type { Plan, Privacy, UnmappedPolicy } from './types.js'

/** A category mapping as a step input holds it: the plan's entry, absent fields as null. */
export type CategoryRule = {
  readonly source: string
  /** The legacy category path as written in the plan (names separated by /). */
  readonly from: string
  readonly to: string | null
  readonly export: boolean
}

/** A room mapping as a step input holds it: the plan's entry, absent fields as null. */
export type RoomRule = {
  readonly source: string
  /** The legacy room path as written in the plan (categories, then the room name). */
  readonly room: string
  readonly action: 'migrate' | 'skip' | 'disable'
  readonly rename: string | null
  readonly category: string | null
  readonly privacy: Privacy | null
  readonly disabled: boolean | null
  readonly description: string | null
}

/** The plan's `rooms:` rules as plain data: what the lint, the mappings and verification read,
 * held in their inputs so that their fingerprints cover them. */
export type RoomRules = {
  readonly unmapped: UnmappedPolicy
  readonly categories: readonly CategoryRule[]
  readonly map: readonly RoomRule[]
}

/** The room rules of a plan, in the plan's order. */
export function roomRulesOf(plan: Plan): RoomRules {
  return {
    unmapped: plan.rooms.unmapped,
    categories: plan.rooms.categories.map((c) => ({ source: c.source, from: c.from, to: c.to ?? null, export: c.export })),
    map: plan.rooms.map.map((m) => ({
      source: m.source, room: m.room, action: m.action,
      rename: m.rename ?? null, category: m.category ?? null, privacy: m.privacy ?? null,
      disabled: m.disabled ?? null, description: m.description ?? null,
    })),
  }
}

/** The part of the room rules the preflight lint reads: which categories are left out and which
 * paths the mappings name, not what they rename to (so a new target name does not change it) —
 * except with several sources, where the names one source's mappings leave are what the next
 * source's import meets (plan/import-names.ts), so its renames and skips are read too. */
export type LintRules = {
  readonly unmapped: UnmappedPolicy
  readonly categories: readonly (Pick<CategoryRule, 'source' | 'from' | 'export'> & { readonly to?: string | null })[]
  readonly map: readonly (Pick<RoomRule, 'source' | 'room'> & { readonly action?: RoomRule['action']; readonly rename?: string | null })[]
}

/** The lint's rules of a plan, in the plan's order. */
export function lintRulesOf(plan: Plan): LintRules {
  const merging = plan.sources.length > 1
  return {
    unmapped: plan.rooms.unmapped,
    categories: plan.rooms.categories.map((c) => ({ source: c.source, from: c.from, export: c.export, ...(merging ? { to: c.to ?? null } : {}) })),
    map: plan.rooms.map.map((m) => ({ source: m.source, room: m.room, ...(merging ? { action: m.action, rename: m.rename ?? null } : {}) })),
  }
}

/** The rules that concern one source: what its own mappings step applies. */
export function rulesOfSource(rules: RoomRules, source: string): RoomRules {
  return { unmapped: rules.unmapped, categories: rules.categories.filter((c) => c.source === source), map: rules.map.filter((m) => m.source === source) }
}
