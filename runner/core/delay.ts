import { setTimeout as wait } from 'node:timers/promises'

/** Waits `ms` (at least 0); resolves false instead when `signal` aborts first (Ctrl-C), true when
 * the time ran out. */
export async function delay(ms: number, signal?: AbortSignal): Promise<boolean> {
  try {
    await wait(Math.max(0, ms), undefined, signal === undefined ? {} : { signal })
    return true
  } catch (e) {
    if (signal?.aborted === true) return false
    throw e
  }
}
