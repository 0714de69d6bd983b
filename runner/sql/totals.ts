/** A Persistent Chat store's size in rooms and messages (one query, TARGET_TOTALS). */
import type { SqlClient } from '../core/sql-client.js'
import { TARGET_TOTALS } from './queries.js'

export interface StoreTotals {
  readonly rooms: number
  readonly messages: number
}

/** The rooms and messages the store holds now. */
export async function storeTotals(sql: SqlClient): Promise<StoreTotals> {
  const [row] = await sql.query<{ rooms: number | string; messages: number | string }>(TARGET_TOTALS)
  if (row === undefined) throw new Error('the count of rooms and messages returned no row')
  return { rooms: Number(row.rooms), messages: Number(row.messages) }
}
