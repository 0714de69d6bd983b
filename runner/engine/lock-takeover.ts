import type { Lock } from '../state/types.js'
import type { Recorder } from './recorder.js'

/**
 * Journals a stale lock that `lock` took over and returns the line that says so, or undefined when
 * the lock was free. apply, rollback, approve and resolve all take a dead process's lock over by
 * themselves; the admin hears of it from each, not only from apply.
 */
export async function journalTakeover(lock: Lock, recorder: () => Recorder): Promise<string | undefined> {
  const stale = lock.tookOverStale
  if (stale === undefined) return undefined
  await recorder().journal('lock-taken-over', { detail: { staleHost: stale.host, stalePid: stale.pid, since: stale.startedAt } })
  return `took over the lock left by pid ${stale.pid} on ${stale.host} since ${stale.startedAt} (${stale.command}): that process is gone (journaled)`
}
