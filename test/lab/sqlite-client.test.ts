import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { openSqliteClient } from '../../runner/sql/sqlite.js'
import { CUTOFF_TICKS, newLab } from './fixture.js'

describe('openSqliteClient', () => {
  it('runs read-only queries with @name parameters and returns rows as objects', async () => {
    const { info } = await newLab({ messages: 500 })
    const client = openSqliteClient(info.legacyStore, { readonly: true })
    try {
      const rooms = await client.query<{ nodeName: string; invite: number | null }>('SELECT nodeName, invite FROM tblNode WHERE nodeType = @type AND nodeName = @name', { type: 0, name: 'Pipeline review' })
      expect(rooms).toEqual([{ nodeName: 'Pipeline review', invite: null }])
      // Inventory-style: one round trip, GROUP BY, ticks compared in SQL.
      const perRoom = await client.query<{ channelId: number; n: number }>('SELECT channelId, COUNT(*) AS n FROM tblChat WHERE chatDate >= @cutoff GROUP BY channelId', { cutoff: CUTOFF_TICKS.toString() })
      expect(perRoom.reduce((a, r) => a + r.n, 0)).toBeGreaterThan(0)
      await expect(client.query('DELETE FROM tblChat')).rejects.toThrow()
      await expect(client.query('SELECT nodeName FROM tblNode WHERE nodeID = @id')).rejects.toThrow(/Missing named parameter "id"/)
    } finally {
      await client.close()
      await client.close()
    }
  })

  it('refuses writes on a read-only client and a file that does not exist', async () => {
    const { info } = await newLab({ messages: 10 })
    const client = openSqliteClient(info.pchatStore)
    await expect(client.query("INSERT INTO tblSiopWhiteList (siopName, siopUrl) VALUES ('a', 'b') RETURNING siopID")).rejects.toThrow(/readonly|query_only|attempt to write/i)
    await client.close()
    expect(() => openSqliteClient(`${info.pchatStore}.nope`)).toThrow()
  })

  it('reads a store a crash left mid-transaction, rolling the hot journal back first', async () => {
    const { info } = await newLab({ messages: 10 })
    // A process that dies inside a transaction, with more changes than fit its page cache.
    const script = `const D = require('better-sqlite3'); const db = new D(process.argv[1]); db.pragma('cache_size = 10'); db.exec('BEGIN');
      const s = db.prepare("INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content) VALUES (1, ?, 1, 1, 0, ?)");
      for (let i = 0; i < 5000; i++) s.run(i, 'x'.repeat(200)); process.kill(process.pid, 'SIGKILL')`
    const child = spawnSync(process.execPath, ['-e', script, info.legacyStore], { cwd: process.cwd() })
    expect(child.signal).toBe('SIGKILL')
    expect(existsSync(`${info.legacyStore}-journal`)).toBe(true)
    const client = openSqliteClient(info.legacyStore)
    await expect(client.query('SELECT COUNT(*) AS n FROM tblChat')).resolves.toEqual([{ n: 10 }])
    await client.close()
  })
})
