import { describe, expect, it } from 'vitest'
import { approve, resolveStep, revokeApproval } from '../../runner/engine/approve-and-resolve.js'
import { manualClock } from '../../runner/core/clock.js'
import { MemoryStateStore } from '../../runner/state/memory-store.js'
import type { StepKind } from '../../runner/steps/define.js'
import { INSIDE, fakeKind, fakeStep, makeEngine } from '../helpers/engine-fakes.js'
import type { Timeline } from '../helpers/engine-fakes.js'

const lookup = (...kinds: StepKind[]) => (name: string) => kinds.find((k) => k.kind === name)

function world() {
  const t: Timeline = []
  const undoable = fakeKind('undoable', t, { undo: true })
  const manual = fakeKind('manual-fake', t, { manual: true, irreversible: true })
  const steps = [fakeStep('cutover.a', 'undoable'), fakeStep('post.b', 'undoable', 'post'), fakeStep('decommission.1.manual', 'manual-fake', 'post'), fakeStep('post.z', 'undoable', 'post')]
  const store = new MemoryStateStore()
  const kinds = [undoable, manual]
  const setup = { plan: { name: 'lab', hash: 'h' }, store, steps, kinds: lookup(...kinds), clock: manualClock(INSIDE), command: 'cutover approve', who: 'alice' }
  const engine = () => makeEngine({ steps, kinds, store, clock: manualClock(INSIDE) })
  return { t, steps, store, setup, engine }
}

describe('approve: only a step that awaits approval, or an explicit pre-approval', () => {
  it('refuses a manual step the run has not reached, and rollback stays possible', async () => {
    const { store, setup, engine } = world()
    await engine().engine.apply({ until: 'post.b' })
    await expect(approve(setup, 'decommission.1.manual', 'alice')).rejects.toThrow(/not awaiting approval \(it is pending\).*--ahead/)
    expect((await store.load())?.steps['decommission.1.manual']).toBeUndefined()
    await expect(engine().engine.rollback()).resolves.toMatchObject({ outcome: 'done' })
  })

  it('--ahead records a pre-approval that keeps the step pending (rollback still possible) and apply uses it when it gets there', async () => {
    const { store, setup, engine } = world()
    await engine().engine.apply({ until: 'cutover.a' })
    const rec = await approve(setup, 'decommission.1.manual', 'alice', { ahead: true, note: 'CAB-1234 approved' })
    expect(rec).toMatchObject({ status: 'pending', preApproval: { by: 'alice', at: INSIDE, note: 'CAB-1234 approved' } })
    await expect(approve(setup, 'decommission.1.manual', 'bob', { ahead: true })).rejects.toThrow(/already approved ahead by alice/)
    const done = await engine().engine.apply()
    expect(done).toEqual({ outcome: 'done' })
    expect((await store.load())?.steps['decommission.1.manual']).toMatchObject({ status: 'done', approvedBy: 'alice', approvedAhead: true, approvalNote: 'CAB-1234 approved' })
    const journal = await store.readJournal()
    expect(journal.find((e) => e.event === 'approve-ahead')).toMatchObject({ who: 'alice', detail: { by: 'alice', note: 'CAB-1234 approved' } })
    expect(journal.find((e) => e.event === 'approval-used')).toMatchObject({ step: 'decommission.1.manual', outcome: 'done' })
  })

  it('a pre-approval can be revoked, and then apply waits at the step', async () => {
    const { store, setup, engine } = world()
    await approve(setup, 'decommission.1.manual', 'alice', { ahead: true })
    const revoked = await revokeApproval(setup, 'decommission.1.manual')
    expect(revoked).toEqual(expect.objectContaining({ status: 'pending' }))
    expect('preApproval' in revoked).toBe(false)
    await expect(engine().engine.apply()).resolves.toMatchObject({ outcome: 'paused', reason: 'approval', step: 'decommission.1.manual' })
    expect((await store.readJournal()).some((e) => e.event === 'approve-revoke')).toBe(true)
  })

  it('an approval of a step the run waits at carries its note, can be revoked until an apply goes past it, not after', async () => {
    const { store, setup, engine } = world()
    await expect(engine().engine.apply()).resolves.toMatchObject({ reason: 'approval' })
    await expect(approve(setup, 'decommission.1.manual', 'alice', { ahead: true })).rejects.toThrow(/already awaits approval/)
    expect(await approve(setup, 'decommission.1.manual', 'alice', { note: 'published at 02:10' })).toMatchObject({ status: 'done', approvedBy: 'alice', approvalNote: 'published at 02:10' })
    expect(await revokeApproval(setup, 'decommission.1.manual')).toMatchObject({ status: 'awaiting-approval' })
    await approve(setup, 'decommission.1.manual', 'alice')
    await expect(engine().engine.apply()).resolves.toEqual({ outcome: 'done' })
    await expect(revokeApproval(setup, 'decommission.1.manual')).rejects.toThrow(/gone past it/)
    expect((await store.load())?.steps['decommission.1.manual']).toMatchObject({ status: 'done' })
  })

  it('revoking a step without an approval is refused', async () => {
    const { setup } = world()
    await expect(revokeApproval(setup, 'decommission.1.manual')).rejects.toThrow(/no approval to revoke/)
    await expect(revokeApproval(setup, 'post.b')).rejects.toThrow(/not a manual step/)
  })
})

describe('approve and resolve take a dead process\'s lock over as apply does: said and journaled', () => {
  it('tells the CLI and journals lock-taken-over with the dead holder, then records the decision', async () => {
    const { store, setup, engine } = world()
    await engine().engine.apply({ until: 'post.b' })
    // A process that held the lock died (its pid is gone): the lock is stale.
    const dead = await store.acquireLock({ host: 'admin-pc', pid: 4242, startedAt: INSIDE, command: 'cutover apply lab.yaml', user: 'bob' })
    store.abandonLock()
    const said: string[] = []
    await approve({ ...setup, onTakeover: (m) => said.push(m) }, 'decommission.1.manual', 'alice', { ahead: true })
    expect(said).toEqual([`took over the lock left by pid 4242 on admin-pc since ${INSIDE} (cutover apply lab.yaml): that process is gone (journaled)`])
    const taken = (await store.readJournal()).filter((e) => e.event === 'lock-taken-over')
    expect(taken).toHaveLength(1)
    expect(taken[0]?.detail).toMatchObject({ staleHost: 'admin-pc', stalePid: 4242 })
    expect(dead.holder.pid).toBe(4242)
    // A free lock says nothing.
    const quiet: string[] = []
    await expect(resolveStep({ ...setup, onTakeover: (m) => quiet.push(m) }, 'post.z', 'done')).rejects.toThrow()
    expect(quiet).toEqual([])
  })
})
