/**
 * The StateStore contract on SQL Server (state.backend: mssql), in a state database the store
 * creates itself, and the lock between two holders on separate sessions.
 */
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, describe, expect, it } from 'vitest'
import { LockedError } from '../../runner/state/errors.js'
import { MssqlStateStore } from '../../runner/state/mssql-store.js'
import type { StateStore } from '../../runner/state/types.js'
import { describeStoreContract } from '../state/contract.js'
import { holder } from '../state/fixtures.js'
import { connect, dropDatabases, scratchName, server, skip, titled } from './server.js'

const stateDb = scratchName('state')
const opened: MssqlStateStore[] = []
let plans = 0

function storeFor(name: string): MssqlStateStore {
  const store = new MssqlStateStore({ connectionString: server(), database: stateDb, name, artifactsDir: join(tmpdir(), '.cutover', name) })
  opened.push(store)
  return store
}

/** As if the holder's process had been killed: its lock session ends without a release. */
async function killHolder(name: string): Promise<void> {
  const client = await connect(stateDb)
  try {
    const [row] = await client.query<{ sessionId: number }>('SELECT sessionId FROM dbo.cutoverLock WHERE planName = @plan', { plan: name })
    if (row === undefined) throw new Error(`no lock row for ${name}`)
    await client.query("DECLARE @kill nvarchar(64) = N'KILL ' + CAST(@spid AS nvarchar(12)); EXEC (@kill);", { spid: Number(row.sessionId) })
    // The session's locks go as it logs out, which can take a moment after KILL returns.
    for (let i = 0; i < 100; i++) {
      const [probe] = await client.query<{ free: number }>("SELECT CAST(APPLOCK_TEST(N'public', @resource, N'Exclusive', N'Session') AS int) AS free", { resource: `cutover:${name}` })
      if (Number(probe?.free) === 1) return
      await sleep(50)
    }
    throw new Error(`the lock session of ${name} did not end`)
  } finally {
    await client.close()
  }
}

describe.skipIf(skip)(titled('the SQL Server state store'), () => {
  afterAll(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()))
    await dropDatabases([stateDb])
  }, 120_000)

  describeStoreContract('MssqlStateStore', async () => {
    // Each test its own plan name: the rows of one never meet another's.
    const name = `contract-${++plans}`
    const store = storeFor(name)
    return { store, reopen: () => storeFor(name), abandonLock: () => killHolder(name) }
  })

  it('keeps the lock of a live holder from a second process, tells who holds it, and hands it over on release', async () => {
    const name = 'two-holders'
    const [first, second] = [storeFor(name), storeFor(name)]
    const results = await Promise.allSettled([first.acquireLock(holder('cutover apply (first)')), second.acquireLock(holder('cutover apply (second)'))])
    const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
    const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []))
    expect(won).toHaveLength(1)
    expect(lost).toHaveLength(1)
    expect(lost[0]).toBeInstanceOf(LockedError)
    const winner = won[0]
    if (winner === undefined) throw new Error('no winner')
    expect((lost[0] as LockedError).holder.command).toBe(winner.holder.command)
    expect((lost[0] as Error).message).toContain(winner.holder.command)
    // Held by a live session: not even force breaks it.
    const bystander: StateStore = storeFor(name)
    await expect(bystander.breakLock({ force: true })).rejects.toThrow(LockedError)
    await winner.release()
    const next = await storeFor(name).acquireLock(holder('cutover apply (next)'))
    expect(next.tookOverStale).toBeUndefined()
    await next.release()
  })

  it('lets a crashed holder\'s lock go with its session, and reports it as not alive', async () => {
    const name = 'crashed-holder'
    await storeFor(name).acquireLock(holder('cutover apply (crashed)'))
    await killHolder(name)
    expect(await storeFor(name).inspectLock()).toMatchObject({ alive: false, holder: { command: 'cutover apply (crashed)' } })
    const taken = await storeFor(name).acquireLock(holder())
    expect(taken.tookOverStale?.command).toBe('cutover apply (crashed)')
    await taken.release()
    expect(await storeFor(name).inspectLock()).toBeUndefined()
  })

  it('created the state database and its tables', async () => {
    const client = await connect(stateDb)
    try {
      const tables = await client.query<{ name: string }>("SELECT name FROM sys.tables WHERE name LIKE N'cutover%' ORDER BY name")
      expect(tables.map((t) => t.name)).toEqual(['cutoverJournal', 'cutoverLock', 'cutoverState'])
    } finally {
      await client.close()
    }
  })
})
