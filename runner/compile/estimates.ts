import type { Inventory } from '../sql/inventory.js'
import type { Step } from '../steps/kind.js'

/**
 * Forecast of the cutover's duration, step by step. Defaults are conservative figures for a
 * Group Chat store on ordinary hardware, since Microsoft publishes none: minutes for fixed work,
 * messages per second for the export and the import. A duration an earlier run or rehearsal of
 * the plan recorded in the state replaces the default for its step.
 */
export const DEFAULT_MINUTES: Readonly<Record<string, number>> = {
  'stop-legacy': 2,
  backup: 15,
  inventory: 2,
  export: 5,
  'target-services': 2,
  import: 5,
  filestore: 20,
  mappings: 5,
  'lookup-account': 1,
  endpoint: 1,
  verify: 5,
}

/** Messages per second, on top of DEFAULT_MINUTES, for the steps that move messages. */
export const DEFAULT_MESSAGES_PER_SECOND: Readonly<Record<string, number>> = {
  export: 1_000,
  import: 400,
}

export interface StepForecast {
  readonly id: string
  readonly minutes: number
  /** Where the figure comes from. */
  readonly basis: 'recorded' | 'inventory' | 'default'
}

/** Minutes one step is expected to take. `messages` is what it moves, when the inventory is known. */
export function expectedMinutes(kind: string, recordedMs: number | undefined, messages?: number): { minutes: number; basis: StepForecast['basis'] } {
  if (recordedMs !== undefined) return { minutes: Math.max(1, Math.ceil(recordedMs / 60_000)), basis: 'recorded' }
  const base = DEFAULT_MINUTES[kind] ?? 1
  const rate = DEFAULT_MESSAGES_PER_SECOND[kind]
  if (rate !== undefined && messages !== undefined) return { minutes: base + Math.ceil(messages / rate / 60), basis: 'inventory' }
  return { minutes: base, basis: 'default' }
}

/** Messages a source's export and import move: those since the cutoff in the inventory. */
export function messagesOf(inv: Inventory | undefined): number | undefined {
  return inv?.totals.messages
}

/** The forecast of one step of the plan: only cutover steps have one (they are what must fit the
 * window); the steps that move messages are sized from their source's inventory when known. */
export function forecastStep(step: Step, recordedMs: number | undefined, inventory: (source: string) => Inventory | undefined): { minutes: number; basis: StepForecast['basis'] } | undefined {
  if (step.phase !== 'cutover') return undefined
  const source = typeof step.input.source === 'string' ? step.input.source : undefined
  return expectedMinutes(step.kind, recordedMs, source === undefined ? undefined : messagesOf(inventory(source)))
}
