/**
 * Whether the process behind a lock still exists: answerable only on the host it ran on. A pid
 * alone is not enough: after a reboot the pid a cutover had may belong to any other process. So
 * a holder records its process start (Linux: boot id and start time from /proc, which change
 * with every boot and every process) and its command line, and both are compared with what runs
 * under that pid now. Windows has no /proc and Node offers no way to read another process's start
 * time or command line there: a live pid then counts as the holder (the safe side), and the
 * refusal says how to check (Task Manager) and which file to delete.
 */
import { readFileSync } from 'node:fs'
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

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

/** What identifies the process `pid` beyond its number, where this system tells: on Linux its
 * start (`<boot id>:<start time in clock ticks since boot>`) and its command line; undefined
 * fields where it does not (Windows, macOS, a process of another user hidden by /proc). */
export function processIdentity(pid: number): { readonly start?: string; readonly commandLine?: string } {
  const stat = readOrUndefined(`/proc/${pid}/stat`)
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const afterName = stat === undefined ? undefined : stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = afterName?.[19]
  const boot = readOrUndefined('/proc/sys/kernel/random/boot_id')?.trim()
  const cmdline = readOrUndefined(`/proc/${pid}/cmdline`)
  const commandLine = cmdline === undefined || cmdline === '' ? undefined : cmdline.replace(/\0+$/, '').split('\0').join(' ')
  return {
    ...(ticks === undefined || boot === undefined ? {} : { start: `${boot}:${ticks}` }),
    ...(commandLine === undefined ? {} : { commandLine }),
  }
}

/** 'dead' only when provably gone: no such pid on this host, or the pid now belongs to a process
 * that started at another time than the holder (pid reuse). A holder on another host is 'unknown'. */
export function holderLiveness(holder: LockHolder): 'alive' | 'dead' | 'unknown' {
  if (!isThisHost(holder.host)) return 'unknown'
  if (!pidAlive(holder.pid)) return 'dead'
  if (holder.processStart !== undefined) {
    const now = processIdentity(holder.pid).start
    if (now !== undefined && now !== holder.processStart) return 'dead'
  }
  return 'alive'
}

/** The command line of the process that has the holder's pid now, when it provably is not the
 * cutover that took the lock: another command line than the one the lock recorded. Undefined
 * when it may be the holder, when the lock recorded none (written by an older cutover: a pid
 * alone proves nothing either way) or when this system cannot tell (Windows). What
 * `unlock --force` may clear on this host. */
export function pidTakenByOther(holder: LockHolder): string | undefined {
  if (holder.commandLine === undefined || !isThisHost(holder.host) || !pidAlive(holder.pid)) return undefined
  const now = processIdentity(holder.pid).commandLine
  return now === undefined || now === holder.commandLine ? undefined : now
}
