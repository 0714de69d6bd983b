/** Who this process is, as lock holders and journal entries record it. */
import { hostname, userInfo } from 'node:os'
import { systemClock } from '../core/clock.js'
import type { Clock } from '../core/clock.js'
import { processIdentity } from './liveness.js'
import type { LockHolder } from './types.js'

/** The account running cutover; containers without a passwd entry make userInfo() throw. */
export function currentUser(): string {
  try {
    return userInfo().username
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown'
  }
}

/** This process as a lock holder, with the host name and pid the liveness check relies on, and
 * its start and command line where the system tells (state/liveness.ts). */
export function thisProcessHolder(command: string, clock: Clock = systemClock): LockHolder {
  const id = processIdentity(process.pid)
  return {
    host: hostname(), pid: process.pid, startedAt: clock.now().toISOString(), user: currentUser(), command,
    ...(id.start === undefined ? {} : { processStart: id.start }),
    ...(id.commandLine === undefined ? {} : { commandLine: id.commandLine }),
  }
}
