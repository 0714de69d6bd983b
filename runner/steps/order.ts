/**
 * Microsoft's documented order of the migration, as the places a step can take ("Migration
 * process - details", "Run backward compatibility for Persistent Chat Server"). A kind places
 * each step it makes; compile only sorts by place, so the order is written once, here.
 *
 * Within a phase, the steps of each legacy source (its lane: the source's index in the plan)
 * come first, one source after the other; then the steps that concern every source at once.
 */
export const SLOTS = [
  // preflight
  'readiness', 'inventory', 'check-target', 'lint',
  // prepare: rooms not to migrate are disabled in the legacy system before the export
  'disable-rooms', 'workdir',
  // cutover, per source
  'stop-legacy', 'backup-legacy', 'freeze-inventory', 'export', 'stop-target', 'backup-target', 'import-whatif', 'import', 'filestore',
  // cutover, once. The mappings run after the services start (nothing says the room and category
  // cmdlets work while Persistent Chat is stopped) and before verify. With several sources, each
  // but the last also starts the services and applies its own mappings in its lane, after its
  // import, and each but the first stops them again before its own: a source's renames must be in
  // place before the next import, which overwrites same-named items (docs/microsoft-facts.md#several-legacy-pools-into-one).
  'lookup-account', 'endpoint', 'start-target', 'mappings', 'verify',
  // post: the new clients are enabled after every decommission entry, so after Group Chat is
  // uninstalled and the trusted application removed ([MIG] steps 11, 12, then 13)
  'decommission', 'enable-clients', 'report',
] as const
export type Slot = (typeof SLOTS)[number]

/** A step with its place in the order. */
export interface Placed<S> {
  readonly step: S
  readonly slot: Slot
  /** The index of the legacy source the step concerns; absent for steps that concern all. */
  readonly lane?: number
  /** Order among steps of the same slot and lane (decommission: the plan's order). */
  readonly seq?: number
}
