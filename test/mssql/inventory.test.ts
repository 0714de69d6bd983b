/**
 * The read-only queries on a real SQL Server: a Group Chat store built from a seeded lab store
 * must give the same inventory (and so the same verification) as the lab store itself, in the
 * same fixed number of queries.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LAB_NAMES, createLab } from '../../runner/lab/index.js'
import type { SqlClient } from '../../runner/core/sql-client.js'
import { takeInventory } from '../../runner/sql/inventory.js'
import { SqlStoreError } from '../../runner/sql/mssql-errors.js'
import { INVENTORY_QUERIES, NODES } from '../../runner/sql/queries.js'
import { openSqliteClient } from '../../runner/sql/sqlite.js'
import { copyLegacyStore } from './lync-store.js'
import { connect, createDatabase, dropDatabases, scratchName, skip, titled } from './server.js'

describe.skipIf(skip)(titled('inventory and verification queries on SQL Server'), () => {
  const legacyDb = scratchName('legacy')
  const emptyDb = scratchName('empty')
  let labDir = ''
  let lab: SqlClient
  let store: SqlClient
  let copied: Record<string, number> = {}

  beforeAll(async () => {
    labDir = mkdtempSync(join(tmpdir(), 'cutover-mssql-'))
    await createLab({ dir: labDir, rooms: 60, messages: 5000, seed: 11 })
    lab = openSqliteClient(join(labDir, LAB_NAMES.legacyStoreFile))
    await createDatabase(legacyDb)
    await createDatabase(emptyDb)
    store = await connect(legacyDb, `the legacy store of gc-test (${legacyDb})`)
    copied = await copyLegacyStore(join(labDir, LAB_NAMES.legacyStoreFile), store)
  }, 300_000)

  afterAll(async () => {
    await store?.close()
    await lab?.close()
    await dropDatabases([legacyDb, emptyDb])
    rmSync(labDir, { recursive: true, force: true })
  }, 120_000)

  it('holds every row of the lab store', () => {
    expect(copied.tblChat).toBe(5000)
    expect(copied.tblNode).toBeGreaterThan(60)
  })

  it('gives the inventory the lab store gives, with and without a cutoff', async () => {
    for (const cutoff of [null, '2019-01-01']) {
      const options = { cutoff, sipDomain: LAB_NAMES.sipDomain }
      const onServer = await takeInventory(store, options)
      expect(onServer).toEqual(await takeInventory(lab, options))
      expect(onServer.totals.rooms).toBeGreaterThan(0)
    }
  })

  it('runs the fixed number of inventory queries, whatever the store', async () => {
    let queries = 0
    const counting: SqlClient = { query: (sql, params) => { queries++; return store.query(sql, params) }, close: async () => undefined }
    await takeInventory(counting, { cutoff: null })
    expect(queries).toBe(INVENTORY_QUERIES.length)
  })

  it('says a database without the Group Chat tables is the wrong store, naming it', async () => {
    const empty = await connect(emptyDb, `the legacy store of gc-test (${emptyDb})`)
    try {
      const error = await empty.query(NODES).then(() => undefined, (e: unknown) => e)
      expect(error).toBeInstanceOf(SqlStoreError)
      expect((error as SqlStoreError).problem).toBe('wrong-store')
      expect((error as Error).message).toMatch(new RegExp(`^the legacy store of gc-test \\(${emptyDb}\\) lacks a table`))
    } finally {
      await empty.close()
    }
  })

  it('binds strings, whole numbers, large numbers, fractions and null by name', async () => {
    const [row] = await store.query<{ s: string; i: number; b: string; f: number; n: null; long: number }>(
      'SELECT @s AS s, @i AS i, @b AS b, @f AS f, @n AS n, CAST(LEN(@long) AS int) AS long',
      { s: "O'Brien; DROP TABLE tblNode --", i: 42, b: 9_007_199_254_740_991, f: 1.5, n: null, long: 'x'.repeat(5000) },
    )
    expect(row).toEqual({ s: "O'Brien; DROP TABLE tblNode --", i: 42, b: '9007199254740991', f: 1.5, n: null, long: 5000 })
  })
})
