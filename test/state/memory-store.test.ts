/** What the memory store adds for engine tests, beyond the shared contract. */
import { describe, expect, it } from 'vitest'
import { MemoryStateStore } from '../../runner/state/memory-store.js'
import type { RunState } from '../../runner/state/types.js'
import { entry, holder, sampleState } from './fixtures.js'

describe('MemoryStateStore', () => {
  it('starts from a prepared state and journal, checked like a save', async () => {
    const store = new MemoryStateStore({ state: sampleState(), journal: [entry(1)] })
    expect(await store.load()).toEqual(sampleState())
    expect(await store.readJournal()).toEqual([entry(1)])
    expect(() => new MemoryStateStore({ state: { ...sampleState(), formatVersion: 2 } as unknown as RunState })).toThrow(/formatVersion/)
  })

  it('keeps no artifacts', () => {
    expect(new MemoryStateStore().artifactsDir()).toBeUndefined()
  })

  it('abandonLock leaves a stale lock, as a killed process would', async () => {
    const store = new MemoryStateStore()
    const first = await store.acquireLock(holder('first'))
    store.abandonLock()
    expect(await store.inspectLock()).toMatchObject({ alive: false, holder: { command: 'first' } })
    const second = await store.acquireLock(holder('second'))
    expect(second.tookOverStale?.command).toBe('first')
    await first.release()
    expect((await store.inspectLock())?.holder.command).toBe('second')
  })
})
