import { stepId } from '../../core/step.js'
import type { StepId } from '../../core/step.js'
import { nameKey } from '../../plan/names.js'
import { roomRulesOf } from '../../plan/room-rules.js'
import type { RoomRules } from '../../plan/room-rules.js'
import { MANAGER, takeInventory } from '../../sql/inventory.js'
import type { Inventory } from '../../sql/inventory.js'
import { INVENTORY_QUERIES } from '../../sql/queries.js'
import { VERIFY_ARTIFACT } from '../../sql/verification.js'
import type { Difference, VerificationRow } from '../../sql/verification.js'
import { inventories, readArtifact, writeArtifact } from '../artifacts.js'
import { defineStep, makeStep } from '../define.js'
import { expectation } from '../expectations.js'
import type { Expectation } from '../expectations.js'
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

function verificationRows(expected: Expectation, actual: Inventory): VerificationRow[] {
  const byName = new Map(actual.rooms.map((r) => [nameKey(r.name), r]))
  return expected.rooms.map((r) => {
    const got = byName.get(nameKey(r.name))
    return { source: r.source, legacy: r.legacyPath.join('/'), room: r.name, category: r.category, legacyMessages: r.messages, messages: got?.messages ?? null, legacyRoles: r.roles, roles: got?.roles ?? null }
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

/** Compares what the target holds with what the frozen inventories and the mappings say it must.
 * Of the role holders it checks only what Microsoft documents: the root category's managers
 * become managers of every room (docs/microsoft-facts.md#the-documented-preparation). */
export function compare(expected: Expectation, actual: Inventory, preexisting: Inventory | undefined): Difference[] {
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
    if (got.messages !== want.messages) diffs.push({ kind: 'messages', name: want.name, expected: want.messages, actual: got.messages })
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
    const expected = expectation(rules, await inventories(ctx, step.id, inventorySteps))
    const preexisting = ctx.record(targetStep)?.status === 'done' ? await readArtifact<Inventory>(ctx, step.id, targetStep) : undefined
    const actual = await takeInventory(await ctx.sql({ kind: 'target' }), { cutoff: null, progress: (d, t) => ctx.progress(d, t, 'queries') })
    const diffs = compare(expected, actual, preexisting)
    const notes = roleNotes(expected, actual)
    const { file, sha256 } = await writeArtifact(ctx, VERIFY_ARTIFACT, {
      expected: { categories: expected.categories.length, rooms: expected.rooms.length, messages: expected.rooms.reduce((a, r) => a + r.messages, 0) },
      actual: actual.totals,
      differences: diffs,
      roleNotes: notes,
      rooms: verificationRows(expected, actual),
    })
    if (diffs.length > 0) {
      for (const d of diffs) ctx.log(describe(d))
      const shown = diffs.slice(0, 5).map(describe).join('; ')
      throw new Error(`verification found ${diffs.length} difference(s): ${shown}${diffs.length > 5 ? `; ... (all in ${file})` : ''}. Fix the cause, then apply again, or roll back with cutover rollback`)
    }
    const messages = expected.rooms.reduce((a, r) => a + r.messages, 0)
    ctx.log(`verified ${expected.categories.length} categories, ${expected.rooms.length} rooms, ${messages} messages`)
    const warnings = notes.length === 0 ? [] : [`${notes.length} role count(s) differ from the legacy store where Microsoft documents nothing (information, not a failure; all in ${file}): ${notes.slice(0, 5).map(describe).join('; ')}${notes.length > 5 ? '; ...' : ''}`]
    for (const n of notes) ctx.log(`information: ${describe(n)}`)
    // What the target holds once verified: rollback compares it with the store later, to count
    // what users posted after the cutover.
    return { outputs: { artifact: file, sha256, categories: expected.categories.length, rooms: expected.rooms.length, messages, differences: 0, roleNotes: notes.length, targetRooms: actual.totals.rooms, targetMessages: actual.totals.messages }, warnings }
  },
})
