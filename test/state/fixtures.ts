/** Sample states, entries and holders, and temp folders that clean up after themselves. */
import { mkdtemp, rm } from 'node:fs/promises'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import type { JournalEntry, LockHolder, RunState } from '../../runner/state/types.js'

/** A state with a done and a running step, as a run interrupted mid-export would leave it. */
export function sampleState(overrides: Partial<RunState> = {}): RunState {
  return {
    formatVersion: 1,
    plan: { name: 'contoso-groupchat', hash: 'sha256:plan-1', commit: '0123abc' },
    steps: {
      'preflight.connect': {
        id: 'preflight.connect',
        status: 'done',
        fingerprint: 'fp-connect',
        attempts: 1,
        startedAt: '2026-12-05T22:00:00.000Z',
        endedAt: '2026-12-05T22:00:03.000Z',
        outputs: { rooms: 412, categories: ['Engineering', 'Sales'], sha256: null, nested: { ok: true } },
      },
      'cutover.export.gc2010': {
        id: 'cutover.export.gc2010',
        status: 'running',
        fingerprint: 'fp-export',
        attempts: 2,
        startedAt: '2026-12-05T22:10:00.000Z',
      },
      'cutover.import.gc2010': {
        id: 'cutover.import.gc2010',
        kind: 'import',
        status: 'failed',
        fingerprint: 'fp-import',
        attempts: 1,
        startedAt: '2026-12-05T22:20:00.000Z',
        endedAt: '2026-12-05T22:25:00.000Z',
        error: 'timed out after 600 s',
      },
    },
    createdAt: '2026-12-05T21:59:00.000Z',
    updatedAt: '2026-12-05T22:10:00.000Z',
    ...overrides,
  }
}

/** A journal entry numbered `n`, written from this process. */
export function entry(n: number, extra: Partial<JournalEntry> = {}): JournalEntry {
  return {
    at: new Date(Date.UTC(2026, 11, 5, 22, 0, n)).toISOString(),
    who: 'alice',
    host: hostname(),
    pid: process.pid,
    event: `event-${n}`,
    ...extra,
  }
}

/** This process as a lock holder. */
export function holder(command = 'cutover apply plans/contoso.yaml'): LockHolder {
  return { host: hostname(), pid: process.pid, startedAt: new Date().toISOString(), user: 'alice', command }
}

const made: string[] = []
afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

/** A fresh folder under the system temp, removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cutover-state-'))
  made.push(dir)
  return dir
}
