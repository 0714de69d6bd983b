import { stepId } from '../../core/step.js'
import type { StepId } from '../../core/step.js'
import { defineStep, makeStep } from '../define.js'

/** `instructions`: what the run shows when it pauses here (as a manual step's). */
export type DisableRoomsInput = { readonly source: string; readonly rooms: readonly string[]; readonly instructions: string }

/** The checkpoint where an admin disables a source's `action: disable` rooms in the legacy system. */
export function disableRoomsId(source: string): StepId<'disable-rooms'> {
  return stepId('disable-rooms', `prepare.disable-rooms.${source}`)
}

const instructions = (i: { source: string; rooms: readonly string[] }) =>
  `In the legacy Group Chat Admin Tool of ${i.source}, mark these rooms disabled: ${i.rooms.join('; ')}. Disabled rooms are not exported (docs/microsoft-facts.md#the-documented-preparation). Then confirm with cutover approve.`

/**
 * Microsoft's way to keep a room out of the migration: mark it disabled in the legacy system
 * before the export (docs/microsoft-facts.md#the-documented-preparation). cutover has no legacy
 * cmdlet to do it, so this is a manual checkpoint in prepare, before the downtime: the run pauses
 * until `cutover approve`. The frozen inventory then shows which rooms are disabled; one still
 * enabled is exported and removed after the import (expectations.ts), as `action: skip` does.
 */
export const disableRoomsKind = defineStep<'disable-rooms', DisableRoomsInput>({
  kind: 'disable-rooms',
  traits: { idempotent: false, manual: true },
  fromPlan: (plan) => plan.sources.flatMap((s, lane) => {
    const rooms = plan.rooms.map.filter((m) => m.source === s.id && m.action === 'disable').map((m) => m.room)
    return rooms.length === 0 ? [] : [{ slot: 'disable-rooms', lane, step: makeStep('disable-rooms', disableRoomsId(s.id), 'prepare', `Disable ${rooms.length} room(s) of ${s.id} in the legacy Group Chat Admin Tool`, { source: s.id, rooms, instructions: instructions({ source: s.id, rooms }) }) } as const]
  }),
  preview: (step) => [{ type: 'manual', instructions: step.input.instructions }],
  run: () => Promise.reject(new Error('a manual step is approved, never run')),
})
