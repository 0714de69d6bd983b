/** The StateStore contract, as one suite every store must pass. */
import { describe, expect, it } from 'vitest'
import { LockedError } from '../../runner/state/errors.js'
import type { RunState, StateStore } from '../../runner/state/types.js'
import type { JsonObject } from '../../runner/core/json.js'
import { entry, holder, sampleState } from './fixtures.js'
import { outputsOf } from '../../runner/state/records.js'

export interface StoreFixture {
  readonly store: StateStore
  /** Another store on the same state, as a second process would open it. */
  reopen(): StateStore
  /** Makes the current lock holder's process gone without it releasing the lock. */
  abandonLock(): Promise<void>
}

/** Runs the contract against stores made by `make`. */
export function describeStoreContract(label: string, make: () => Promise<StoreFixture>): void {
  describe(`StateStore contract: ${label}`, () => {
    it('knows nothing before the first run', async () => {
      const { store } = await make()
      expect(await store.load()).toBeUndefined()
      expect(await store.readJournal()).toEqual([])
      expect(store.journalTornTail).toBe(false)
      expect(await store.inspectLock()).toBeUndefined()
      expect(await store.breakLock({ force: false })).toBeUndefined()
    })

    it('loads what it saved, and the latest save wins', async () => {
      const { store, reopen } = await make()
      const first = sampleState()
      await store.save(first)
      expect(await store.load()).toEqual(first)
      const second: RunState = { ...first, updatedAt: '2026-12-05T22:20:00.000Z', steps: {} }
      await store.save(second)
      expect(await reopen().load()).toEqual(second)
    })

    it('keeps saves in call order when they are not awaited one by one', async () => {
      const { store } = await make()
      const states = [1, 2, 3, 4].map((n) => sampleState({ updatedAt: `2026-12-05T22:0${n}:00.000Z` }))
      await Promise.all(states.map((state) => store.save(state)))
      expect((await store.load())?.updatedAt).toBe('2026-12-05T22:04:00.000Z')
    })

    it('hands out copies, so changing a loaded or saved object changes nothing stored', async () => {
      const { store } = await make()
      const state = sampleState()
      await store.save(state)
      const loaded = (await store.load()) as { steps: Record<string, unknown> }
      loaded.steps = {}
      const outputs = outputsOf(state.steps['preflight.connect']) as { rooms: number }
      outputs.rooms = 0
      expect(await store.load()).toEqual(sampleState())
    })

    it('refuses to save a state it could not read back, and keeps the previous one', async () => {
      const { store } = await make()
      await store.save(sampleState())
      const broken = { ...sampleState(), steps: { x: { id: 'y', status: 'finished' } } } as unknown as RunState
      await expect(store.save(broken)).rejects.toThrow(/steps\["x"\]\.status/)
      expect(await store.load()).toEqual(sampleState())
    })

    it('returns journal entries oldest first, in call order even when appended concurrently', async () => {
      const { store, reopen } = await make()
      await store.append(entry(1))
      await Promise.all([2, 3, 4, 5].map((n) => store.append(entry(n, { step: `s${n}`, outcome: 'done' }))))
      const detail: JsonObject = { rooms: 3, names: ["O'Brien", 'Zoë'], nested: { ok: null } }
      await store.append(entry(6, { detail }))
      const journal = await reopen().readJournal()
      expect(journal.map((e) => e.event)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `event-${n}`))
      expect(journal[5]?.detail).toEqual(detail)
      expect(journal[1]).toEqual(entry(2, { step: 's2', outcome: 'done' }))
    })

    it('refuses a journal entry it could not read back', async () => {
      const { store } = await make()
      await expect(store.append({ ...entry(1), pid: 'x' } as unknown as ReturnType<typeof entry>)).rejects.toThrow(/pid/)
      expect(await store.readJournal()).toEqual([])
    })

    it('gives the lock to one holder at a time and says who has it', async () => {
      const { store, reopen } = await make()
      const me = holder()
      const lock = await store.acquireLock(me)
      expect(lock.holder).toEqual(me)
      expect(lock.tookOverStale).toBeUndefined()
      const refused = await reopen()
        .acquireLock(holder('cutover approve'))
        .then(() => undefined, (error: unknown) => error)
      expect(refused).toBeInstanceOf(LockedError)
      expect((refused as LockedError).holder).toEqual(me)
      expect((refused as Error).message).toContain(`pid ${me.pid} on host ${me.host}`)
      expect((refused as Error).message).toContain('cutover apply plans/contoso.yaml')
      expect(await reopen().inspectLock()).toEqual({ holder: me, alive: true, sameHost: true })
      await lock.release()
      expect(await store.inspectLock()).toBeUndefined()
      await lock.release() // a second release is harmless
      const again = await reopen().acquireLock(holder())
      await again.release()
    })

    it('lets exactly one of many concurrent acquirers win', async () => {
      const { store, reopen } = await make()
      const stores = [store, reopen(), reopen(), reopen(), reopen()]
      const results = await Promise.allSettled(stores.map((s) => s.acquireLock(holder())))
      const won = results.filter((r) => r.status === 'fulfilled')
      expect(won).toHaveLength(1)
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(LockedError)
    })

    it('refuses to break a lock whose holder is alive, even with force', async () => {
      const { store, reopen } = await make()
      const lock = await store.acquireLock(holder())
      await expect(reopen().breakLock({ force: false })).rejects.toThrow(LockedError)
      await expect(reopen().breakLock({ force: true })).rejects.toThrow(/still running/)
      expect((await store.inspectLock())?.alive).toBe(true)
      await lock.release()
    })

    it('takes over a lock whose holder died, and says whose it was', async () => {
      const { store, reopen, abandonLock } = await make()
      const dead = await store.acquireLock(holder('cutover apply (killed)'))
      await abandonLock()
      const inspected = await reopen().inspectLock()
      expect(inspected?.alive).toBe(false)
      const next = await reopen().acquireLock(holder())
      expect(next.tookOverStale?.command).toBe('cutover apply (killed)')
      expect(next.tookOverStale?.pid).toBe(inspected?.holder.pid)
      // The dead holder's release (had it run) must not free the new holder's lock.
      await dead.release()
      expect((await store.inspectLock())?.alive).toBe(true)
      await expect(reopen().acquireLock(holder())).rejects.toThrow(LockedError)
      await next.release()
      expect(await store.inspectLock()).toBeUndefined()
    })

    it('breaks a lock whose holder died and returns that holder', async () => {
      const { store, reopen, abandonLock } = await make()
      await store.acquireLock(holder('cutover apply (killed)'))
      await abandonLock()
      const broken = await reopen().breakLock({ force: false })
      expect(broken?.command).toBe('cutover apply (killed)')
      expect(await store.inspectLock()).toBeUndefined()
      const lock = await reopen().acquireLock(holder())
      expect(lock.tookOverStale).toBeUndefined()
      await lock.release()
    })
  })
}
