/**
 * Streams the lab emulator's seeded messages into tblChat, room by room in chatId order (so the
 * (channelId, chatId) index is appended to, not shuffled), never holding more than one row.
 */
import type { Store } from './store.js'
import { Random } from './random.js'
import type { SeedModel, SeedNode } from './seed-model.js'
import { PHRASES } from './seed-names.js'
import { ticksOfUnixSeconds } from './ticks.js'

/** Messages run up to here; rooms start between 2014 and 2023, so a 2019 cutoff splits them. */
const MESSAGES_UNTIL_S = Date.UTC(2025, 5, 30) / 1000
const ROWS_PER_TRANSACTION = 50_000

/** Splits `total` messages over the rooms: skewed, some rooms empty, exact sum. */
export function allocateMessages(total: number, rooms: readonly SeedNode[], seed: number): number[] {
  const r = new Random(seed, 1)
  const weights = rooms.map(() => (r.chance(0.12) ? 0 : r.next() ** 2 + 0.01))
  const sum = weights.reduce((a, b) => a + b, 0)
  const counts = weights.map((w) => Math.floor((total * w) / sum))
  let rest = total - counts.reduce((a, b) => a + b, 0)
  for (let i = 0; rest > 0; i = (i + 1) % counts.length) {
    if ((weights[i] ?? 0) > 0) {
      counts[i] = (counts[i] ?? 0) + 1
      rest--
    }
  }
  return counts
}

function content(r: Random): string {
  const phrase = r.pick(PHRASES)
  return phrase.includes('{n}') ? phrase.replace('{n}', String(r.int(10_000))) : phrase
}

/** Inserts every room's messages; `onBatch` runs after each committed batch (for progress and to
 * let the event loop breathe). */
export async function insertMessages(db: Store, model: SeedModel, total: number, seed: number, onBatch: (done: number) => Promise<void>): Promise<number> {
  const rooms = model.nodes.filter((n) => n.type === 0)
  const counts = allocateMessages(total, rooms, seed)
  const insert = db.prepare('INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf) VALUES (?, ?, ?, ?, ?, ?, ?)')
  let done = 0
  db.exec('BEGIN')
  for (const [index, room] of rooms.entries()) {
    const count = counts[index] ?? 0
    // One stream per room: a room's messages do not depend on how many the others got.
    const r = new Random(seed, 1_000_000 + room.id)
    const authors = model.authors.get(room.id) ?? []
    const start = Math.floor(room.addedOn / 1000)
    const span = MESSAGES_UNTIL_S - start
    for (let i = 0; i < count; i++) {
      const at = start + Math.floor(((i + r.next()) * span) / count)
      const text = content(r)
      const rtf = r.chance(0.02) ? `{\\rtf1\\ansi ${text}}` : null
      insert.run(room.id, i + 1, ticksOfUnixSeconds(at), r.pick(authors), r.chance(0.01) ? 1 : 0, text, rtf)
      if (++done % ROWS_PER_TRANSACTION === 0) {
        db.exec('COMMIT')
        await onBatch(done)
        db.exec('BEGIN')
      }
    }
  }
  db.exec('COMMIT')
  await onBatch(done)
  return done
}
