/** Whether the process behind a lock still exists: answerable only on the host it ran on. */
import { hostname } from 'node:os'
import { hasCode } from './fs-errors.js'
import type { LockHolder } from './types.js'

/** True when a process with this pid exists on this host (owned by anyone). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to another user, which still holds the lock.
    return !hasCode(error, 'ESRCH')
  }
}

/** True when `host` names this computer; host names compare case-insensitively (Windows, DNS). */
export function isThisHost(host: string): boolean {
  return host.toLowerCase() === hostname().toLowerCase()
}

/** 'dead' only when provably gone; a holder on another host is 'unknown'. */
export function holderLiveness(holder: LockHolder): 'alive' | 'dead' | 'unknown' {
  if (!isThisHost(holder.host)) return 'unknown'
  return pidAlive(holder.pid) ? 'alive' : 'dead'
}
