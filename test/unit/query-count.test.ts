import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { createLab } from '../../runner/lab/index.js'
import { fixedRoomCount } from '../../runner/lab/seed-model.js'
import type { SqlClient, SqlParam } from '../../runner/core/sql-client.js'
import { takeInventory } from '../../runner/sql/inventory.js'
import { INVENTORY_QUERIES } from '../../runner/sql/queries.js'
import { openSqliteClient } from '../../runner/sql/sqlite.js'

/** A real SqlClient (SQLite on a lab store) that counts its round trips. */
function counting(inner: SqlClient): SqlClient & { readonly count: () => number } {
  let n = 0
  return {
    count: () => n,
    query<Row extends object>(sql: string, params?: Readonly<Record<string, SqlParam>>): Promise<Row[]> {
      n++
      return inner.query<Row>(sql, params)
    },
    close: () => inner.close(),
  }
}

describe('inventory and verification cost a fixed number of queries', () => {
  const labs: { rooms: number; dir: string }[] = []
  beforeAll(async () => {
    // The smallest lab (its fixed trouble rooms) and one of 5,000 rooms.
    for (const rooms of [fixedRoomCount(), 5000]) {
      const dir = mkdtempSync(join(tmpdir(), `cutover-qc-${rooms}-`))
      await createLab({ dir, rooms, messages: rooms * 4 })
      labs.push({ rooms, dir })
    }
  })
  it('the same number of round trips for the smallest lab and for 5,000 rooms, on the legacy and the target store', async () => {
    const counts: number[] = []
    for (const lab of labs) {
      for (const file of ['legacy.sqlite', 'pchat.sqlite']) {
        const sql = counting(openSqliteClient(join(lab.dir, file)))
        const inv = await takeInventory(sql, { cutoff: '2019-01-01T00:00:00Z', sipDomain: 'lab.cutover.test' })
        if (file === 'legacy.sqlite') expect(inv.totals.rooms).toBeGreaterThanOrEqual(lab.rooms - 1)
        counts.push(sql.count())
        await sql.close()
      }
    }
    expect(new Set(counts).size).toBe(1)
    expect(counts[0]).toBe(INVENTORY_QUERIES.length)
  })
})
