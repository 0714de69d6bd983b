import type { DatabaseRef, Plan } from '../plan/types.js'
import type { StoreRole } from '../core/step.js'

/** A store of the plan as an admin reads about it: its database, how cutover connects to it, the
 * plan field that holds it, and its name in messages. */
export interface StorePlace {
  readonly database: DatabaseRef
  readonly connection: string | undefined
  readonly field: string
  readonly label: string
}

/** Where `store` is in the plan; throws when the plan has no such source. */
export function placeOf(plan: Plan, store: StoreRole): StorePlace {
  if (store.kind === 'target') {
    const db = plan.target.database
    return { database: db, connection: plan.target.connection, field: 'target', label: `the Persistent Chat store (${db.instance}, ${db.name})` }
  }
  const index = plan.sources.findIndex((s) => s.id === store.id)
  const source = plan.sources[index]
  if (source === undefined) throw new Error(`cutover: no source '${store.id}' in the plan`)
  return { database: source.database, connection: source.connection, field: `sources[${index}]`, label: `the legacy store of ${source.id} (${source.database.instance}, ${source.database.name})` }
}
