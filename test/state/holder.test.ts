import { hostname } from 'node:os'
import { describe, expect, it } from 'vitest'
import { fixedClock } from '../../runner/core/clock.js'
import { thisProcessHolder } from '../../runner/state/holder.js'

describe('thisProcessHolder', () => {
  it('names this host and pid, which the lock liveness check relies on', () => {
    const me = thisProcessHolder('cutover apply plans/lab.yaml', fixedClock('2026-12-05T22:00:00.000Z'))
    expect(me).toMatchObject({ host: hostname(), pid: process.pid, startedAt: '2026-12-05T22:00:00.000Z', command: 'cutover apply plans/lab.yaml' })
    expect(me.user).not.toBe('')
  })
})
