import { ROOM_CONTENT } from '../sql/queries.js'
import type { RunContext } from './define.js'

const ROOM = 0

/** GUIDs of the rooms that hold messages in a store. */
async function roomsWithContent(ctx: RunContext, store: Parameters<RunContext['sql']>[0]): Promise<Set<string>> {
  const rows = await (await ctx.sql(store)).query<{ nodeGuid: string; messages: number | string }>(ROOM_CONTENT, { room: ROOM })
  return new Set(rows.filter((r) => Number(r.messages) > 0).map((r) => String(r.nodeGuid).toUpperCase()))
}

/**
 * How many rooms of `source` Persistent Chat already holds with their messages (a legacy room's
 * nodeGuid there, holding messages): more than 0 means the source was imported already. Read-only,
 * at most two queries whatever the size (docs/microsoft-facts.md#what-cutover-guesses: that the import
 * keeps nodeGuid is a guess; if it does not, this finds 0 and never refuses).
 */
export async function importedRooms(ctx: RunContext, source: string): Promise<number> {
  // The target first: before a first import it holds no messages, and then the legacy store's
  // count (every message of the source, 0.1 s at 300,000) is not needed.
  const target = await roomsWithContent(ctx, { kind: 'target' })
  if (target.size === 0) return 0
  const legacy = await roomsWithContent(ctx, { kind: 'source', id: source })
  return [...legacy].filter((g) => target.has(g)).length
}
