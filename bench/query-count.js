// Inventory round trips at two store sizes: the inventory (and verification, which reads the same
// queries) must cost a fixed number of queries whatever the number of rooms. Run on lab stores
// (SQLite, the query text shared with SQL Server), counting every query the client is sent.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLab } from '../dist/runner/lab/index.js'
import { fixedRoomCount } from '../dist/runner/lab/seed-model.js'
import { takeInventory } from '../dist/runner/sql/inventory.js'
import { openSqliteClient } from '../dist/runner/sql/sqlite.js'

/** Rooms of the smallest lab (its fixed trouble rooms) and of a large one. */
export async function inventoryQueryCounts(sizes = [fixedRoomCount(), 5000]) {
  const out = []
  for (const rooms of sizes) {
    const dir = mkdtempSync(join(tmpdir(), `cutover-bench-qc-${rooms}-`))
    try {
      await createLab({ dir, rooms, messages: rooms * 10 })
      const inner = openSqliteClient(join(dir, 'legacy.sqlite'), { readonly: true })
      let queries = 0
      const sql = { query: (text, params) => (queries++, inner.query(text, params)), close: () => inner.close() }
      const t = process.hrtime.bigint()
      const inv = await takeInventory(sql, { cutoff: '2019-01-01T00:00:00Z', sipDomain: 'lab.cutover.test' })
      const ms = Number(process.hrtime.bigint() - t) / 1e6
      await sql.close()
      out.push({ rooms: inv.totals.rooms, queries, ms })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  return out
}
