import type { Product } from '../plan/types.js'
import { isSqlInstance } from '../plan/rules/addresses.js'
import { connectionFacts } from './connection-string.js'
import type { LegacyFacts, TargetFacts } from './plan-text.js'

export interface StoreFacts {
  readonly source: LegacyFacts
  readonly target: TargetFacts
  /** The legacy store's SQLite file, relative to the lab folder (lab only). */
  readonly legacyFile?: string
  readonly targetFile?: string
}

/** What a connection string tells of a real store: its instance and database, when the plan's
 * rules accept them as written; the rest is for the admin to fill in. */
export function connectionStoreFacts(connectionString: string, id: string, product: Product, connection: string): StoreFacts {
  const facts = connectionFacts(connectionString)
  const usable = facts.instance !== undefined && isSqlInstance(facts.instance)
  const note = facts.instance !== undefined && !usable ? `the connection string names '${facts.instance}', which is not FQDN or FQDN\\instance` : undefined
  return {
    source: {
      id, product, connection,
      instance: usable ? facts.instance : undefined,
      instanceNote: note,
      database: facts.database,
    },
    target: {},
  }
}
