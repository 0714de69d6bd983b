import { stepId } from '../../core/step.js'
import type { StepId } from '../../core/step.js'
import { nameKey } from '../../plan/names.js'
import { roomRulesOf } from '../../plan/room-rules.js'
import type { RoomRules } from '../../plan/room-rules.js'
import { MANAGER, takeInventory } from '../../sql/inventory.js'
import type { Inventory } from '../../sql/inventory.js'
import { INVENTORY_QUERIES } from '../../sql/queries.js'
import { VERIFY_ARTIFACT } from '../../sql/verification.js'
import type { ContentSeen, Difference, VerificationRow } from '../../sql/verification.js'
import { inventories, readArtifact, writeArtifact } from '../artifacts.js'
import { defineStep, makeStep } from '../define.js'
import { expectation } from '../expectations.js'
import type { ExpectedRoom, Expectation } from '../expectations.js'
import { fixedMinutes } from '../forecasts.js'
import { checkTargetId } from './check-target.js'
import { frozenInventoryId } from './inventory.js'
import { mappingsId } from './mappings.js'

/** `targetStep`: what the target held before the migration (its items are not unexpected). */
export type VerifyInput = {
  readonly inventorySteps: readonly StepId<'inventory'>[]
  readonly mappingsStep: StepId<'mappings'>
  readonly targetStep: StepId<'check-target'>
  readonly rules: RoomRules
}

/** The verification of the Persistent Chat store. */
export function verifyId(): StepId<'verify'> {
  return stepId('verify', 'cutover.verify')
}

function verificationRows(expected: Expectation, actual: Inventory, basis: MessageBasis): VerificationRow[] {
  const byName = new Map(actual.rooms.map((r) => [nameKey(r.name), r]))
  return expected.rooms.map((r) => {
    const got = byName.get(nameKey(r.name))
    return { source: r.source, legacy: r.legacyPath.join('/'), room: r.name, category: r.category, legacyMessages: expectedMessages(r, basis), messages: got?.messages ?? null, legacyRoles: r.roles, roles: got?.roles ?? null }
  })
}



/**
 * Role counts Microsoft does not document (members, presenters, managers beyond the root
 * category's): how the import treats deleted principals, groups or duplicates is not written
 * anywhere, so a difference there is information for the admin, not a failed migration.
 */
export function roleNotes(expected: Expectation, actual: Inventory): Difference[] {
  const actualRooms = new Map(actual.rooms.map((r) => [nameKey(r.name), r]))
  const notes: Difference[] = []
  for (const want of expected.rooms) {
    const got = actualRooms.get(nameKey(want.name))
    if (got === undefined) continue
    for (const type of new Set([...Object.keys(want.roles), ...Object.keys(got.roles)])) {
      const e = want.roles[type] ?? 0
      const a = got.roles[type] ?? 0
      if (e !== a) notes.push({ kind: 'roles', name: `${want.name} (${type})`, expected: e, actual: a })
    }
  }
  return notes
}

/** Which count of a room's legacy messages the target is held to: since the cutoff, or all. */
export type MessageBasis = 'since-cutoff' | 'all-content'

const expectedMessages = (r: ExpectedRoom, basis: MessageBasis): number => (basis === 'all-content' ? r.allMessages : r.messages)

/**
 * Compares what the target holds with what the frozen inventories and the mappings say it must,
 * telling which content the export brought (ContentSeen): the message counts are held to the
 * content since the cutoff, and when they miss, to all content (an export that ignored -StartDate,
 * docs/microsoft-facts.md#export-and-import). Either passes; the result says which it was.
 */
export function verifyContent(expected: Expectation, actual: Inventory, preexisting: Inventory | undefined, cutoff: string | null): { readonly differences: Difference[]; readonly content: ContentSeen } {
  const olderMessages = expected.rooms.reduce((a, r) => a + (r.allMessages - r.messages), 0)
  const since = compare(expected, actual, preexisting, 'since-cutoff')
  if (cutoff === null) return { differences: since, content: { kind: 'no-cutoff', cutoff, olderMessages } }
  const sinceCutoff = { differences: since, content: { kind: 'since-cutoff', cutoff, olderMessages } } as const
  if (olderMessages === 0 || !since.some((d) => d.kind === 'messages')) return sinceCutoff
  const all = compare(expected, actual, preexisting, 'all-content')
  if (!all.some((d) => d.kind === 'messages')) return { differences: all, content: { kind: 'all-content', cutoff, olderMessages } }
  return sinceCutoff
}

/** Compares what the target holds with what the frozen inventories and the mappings say it must.
 * Of the role holders it checks only what Microsoft documents: the root category's managers
 * become managers of every room (docs/microsoft-facts.md#the-documented-preparation). */
export function compare(expected: Expectation, actual: Inventory, preexisting: Inventory | undefined, basis: MessageBasis = 'since-cutoff'): Difference[] {
  const diffs: Difference[] = []
  const before = new Set([...(preexisting?.rooms ?? []).map((r) => nameKey(r.name)), ...(preexisting?.categories ?? []).map((c) => nameKey(c.flattened))])
  const actualCats = new Map(actual.categories.map((c) => [nameKey(c.flattened), c]))
  const wantedCats = new Set(expected.categories.map((c) => nameKey(c.name)))
  for (const c of expected.categories) if (!actualCats.has(nameKey(c.name))) diffs.push({ kind: 'missing-category', name: c.name, expected: 'present', actual: 'missing' })
  for (const [key, c] of actualCats) if (!wantedCats.has(key) && !before.has(key)) diffs.push({ kind: 'unexpected-category', name: c.flattened, expected: 'absent', actual: 'present' })
  const actualRooms = new Map(actual.rooms.map((r) => [nameKey(r.name), r]))
  const wantedRooms = new Set(expected.rooms.map((r) => nameKey(r.name)))
  for (const want of expected.rooms) {
    const got = actualRooms.get(nameKey(want.name))
    if (got === undefined) {
      diffs.push({ kind: 'missing-room', name: want.name, expected: 'present', actual: 'missing' })
      continue
    }
    if (got.messages !== expectedMessages(want, basis)) diffs.push({ kind: 'messages', name: want.name, expected: expectedMessages(want, basis), actual: got.messages })
    const managers = got.roles[MANAGER] ?? 0
    if (managers < want.rootManagers) diffs.push({ kind: 'roles', name: `${want.name} (${MANAGER})`, expected: want.rootManagers, actual: managers })
    const category = got.categoryPath.join(' ')
    if (nameKey(category) !== nameKey(want.category)) diffs.push({ kind: 'category', name: want.name, expected: want.category, actual: category })
  }
  for (const [key, r] of actualRooms) if (!wantedRooms.has(key) && !before.has(key)) diffs.push({ kind: 'unexpected-room', name: r.name, expected: 'absent', actual: 'present' })
  return diffs
}

function describe(d: Difference): string {
  switch (d.kind) {
    case 'missing-category': return `category '${d.name}' is missing`
    case 'unexpected-category': return `category '${d.name}' is there but nothing maps to it`
    case 'missing-room': return `room '${d.name}' is missing`
    case 'unexpected-room': return `room '${d.name}' is there but should not be`
    case 'messages': return `room '${d.name}': ${d.actual} messages, expected ${d.expected}`
    case 'roles': return `room ${d.name}: ${d.actual} holders, expected ${d.expected}`
    case 'category': return `room '${d.name}' is in category '${d.actual}', expected '${d.expected}'`
  }
}

/**
 * Verification (docs/microsoft-facts.md#the-documented-order-of-the-cutover, step 10): categories, rooms, role holders and message counts in the
 * Persistent Chat store against the frozen inventories, mappings and cutoff considered. A fixed
 * number of queries whatever the number of rooms; a mismatch fails with a per-room diff.
 */
export const verifyKind = defineStep<'verify', VerifyInput>({
  kind: 'verify',
  traits: { idempotent: true },
  fromPlan: (plan) => [{
    slot: 'verify',
    step: makeStep('verify', verifyId(), 'cutover', 'Verify categories, rooms, members and messages', {
      inventorySteps: plan.sources.map((s) => frozenInventoryId(s.id)), mappingsStep: mappingsId(), targetStep: checkTargetId(), rules: roomRulesOf(plan),
    }),
  }],
  forecast: () => fixedMinutes(5),
  preview: () => [{ type: 'sql', store: 'target', queries: INVENTORY_QUERIES }],
  async run(step, ctx) {
    const { inventorySteps, targetStep, rules } = step.input
    const frozen = await inventories(ctx, step.id, inventorySteps)
    const expected = expectation(rules, frozen)
    const preexisting = ctx.record(targetStep)?.status === 'done' ? await readArtifact<Inventory>(ctx, step.id, targetStep) : undefined
    const actual = await takeInventory(await ctx.sql({ kind: 'target' }), { cutoff: null, progress: (d, t) => ctx.progress(d, t, 'queries') })
    // Every frozen inventory was taken with the plan's one cutoff instant (plan/cutoff.ts).
    const cutoff = [...frozen.values()].find((inv) => inv.cutoff !== null)?.cutoff ?? null
    const { differences: diffs, content } = verifyContent(expected, actual, preexisting, cutoff)
    const basis: MessageBasis = content.kind === 'all-content' ? 'all-content' : 'since-cutoff'
    const messages = expected.rooms.reduce((a, r) => a + expectedMessages(r, basis), 0)
    const notes = roleNotes(expected, actual)
    const { file, sha256 } = await writeArtifact(ctx, VERIFY_ARTIFACT, {
      expected: { categories: expected.categories.length, rooms: expected.rooms.length, messages },
      content,
      actual: actual.totals,
      differences: diffs,
      roleNotes: notes,
      rooms: verificationRows(expected, actual, basis),
    })
    ctx.log(contentSentence(content))
    if (diffs.length > 0) {
      for (const d of diffs) ctx.log(describe(d))
      const shown = diffs.slice(0, 5).map(describe).join('; ')
      const neither = diffs.some((d) => d.kind === 'messages') && content.kind === 'since-cutoff' && content.olderMessages > 0 ? ' (the message counts match neither the content since the cutoff nor all content)' : ''
      throw new Error(`verification found ${diffs.length} difference(s)${neither}: ${shown}${diffs.length > 5 ? `; ... (all in ${file})` : ''}. Fix the cause, then apply again, or roll back with cutover rollback`)
    }
    ctx.log(`verified ${expected.categories.length} categories, ${expected.rooms.length} rooms, ${messages} messages`)
    const warnings = notes.length === 0 ? [] : [`${notes.length} role count(s) differ from the legacy store where Microsoft documents nothing (information, not a failure; all in ${file}): ${notes.slice(0, 5).map(describe).join('; ')}${notes.length > 5 ? '; ...' : ''}`]
    for (const n of notes) ctx.log(`information: ${describe(n)}`)
    // What the target holds once verified: rollback compares it with the store later, to count
    // what users posted after the cutover.
    return { outputs: { artifact: file, sha256, categories: expected.categories.length, rooms: expected.rooms.length, messages, content: content.kind, differences: 0, roleNotes: notes.length, targetRooms: actual.totals.rooms, targetMessages: actual.totals.messages }, warnings }
  },
})

/** What verification says of the content the export brought (ContentSeen). */
export function contentSentence(c: ContentSeen): string {
  switch (c.kind) {
    case 'no-cutoff': return 'content: all of it (the plan sets no rooms.cutoff)'
    case 'since-cutoff': return c.olderMessages === 0
      ? `content since the cutoff (${c.cutoff ?? ''}); no legacy message is older, so that is all content too`
      : `content since the cutoff (${c.cutoff ?? ''}): Export honoured -StartDate, and ${c.olderMessages} older message(s) stayed behind`
    case 'all-content': return `all content: Export ignored -StartDate (${c.cutoff ?? ''}), so ${c.olderMessages} message(s) older than the cutoff migrated too`
  }
}
