/**
 * How long each kind of step is expected to take, in minutes, when no earlier run of the plan
 * recorded it: conservative figures for a mid-size Group Chat store. They draw the preview's
 * timeline; the state's recorded durations (a rehearsal on the lab or a test pool) replace them.
 */
export const DEFAULT_MINUTES: Readonly<Record<string, number>> = {
  'stop-legacy': 2,
  backup: 15,
  inventory: 2,
  export: 30,
  'target-services': 2,
  import: 45,
  filestore: 20,
  mappings: 5,
  'lookup-account': 1,
  endpoint: 1,
  verify: 5,
}

export function expectedMinutes(kind: string, recordedMs: number | undefined): number {
  if (recordedMs !== undefined) return Math.max(1, Math.ceil(recordedMs / 60_000))
  return DEFAULT_MINUTES[kind] ?? 1
}
