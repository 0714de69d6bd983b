import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'

/**
 * A child process and everything it starts, killable as one tree.
 *
 * POSIX: the child is spawned detached, i.e. as the leader of its own process group, so
 * `process.kill(-pid, 'SIGKILL')` reaches every process the script started in the group as well.
 * Windows: `taskkill /T /F /PID` walks the tree from the child (detached would open a console
 * window there, so it is not used).
 *
 * Being in its own group, the child no longer gets the terminal's Ctrl-C; so that it does not
 * outlive cutover, every live tree is killed when this process exits (`process.on('exit')`).
 * A SIGKILL of cutover itself leaves it running, as it would without the group.
 */

const isWindows = process.platform === 'win32'

export interface TreeExit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  /** The child exited, but a process it started kept its output open past the grace period;
   * the host stopped reading. */
  readonly outputAbandoned: boolean
}

export interface TreeProcess {
  readonly pid: number
  /** Settles once the child has exited and its output has been read to the end. */
  readonly exited: Promise<TreeExit>
  /** Kills the child and everything it started; resolves once the kill has been sent. */
  killTree(): Promise<void>
}

export interface SpawnTreeOptions {
  readonly env: NodeJS.ProcessEnv
  onStdout(chunk: Buffer): void
  onStderr(chunk: Buffer): void
  /** How long to keep reading after the child exited, if something else still holds its output. */
  readonly graceMs: number
}

const live = new Set<ChildProcess>()
let exitHook = false

function killSync(child: ChildProcess): void {
  const pid = child.pid
  if (pid === undefined) return
  if (isWindows) {
    spawnSync('taskkill', ['/T', '/F', '/PID', String(pid)], { stdio: 'ignore', windowsHide: true })
    return
  }
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // The group is gone (ESRCH): the leader and all it started have exited.
    try {
      child.kill('SIGKILL')
    } catch {
      // already gone
    }
  }
}

function killTree(child: ChildProcess): Promise<void> {
  const pid = child.pid
  if (pid === undefined) return Promise.resolve()
  if (!isWindows) {
    killSync(child)
    return Promise.resolve()
  }
  return new Promise((resolve) => {
    const killer = spawn('taskkill', ['/T', '/F', '/PID', String(pid)], { stdio: 'ignore', windowsHide: true })
    killer.once('error', () => {
      child.kill()
      resolve()
    })
    killer.once('exit', () => resolve())
  })
}

/** Starts `file args` with piped output; rejects if it cannot be started at all (ENOENT, EACCES). */
export function spawnTree(file: string, args: readonly string[], opts: SpawnTreeOptions): Promise<TreeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: !isWindows, windowsHide: true, env: opts.env })
    child.stdout.on('data', opts.onStdout)
    child.stderr.on('data', opts.onStderr)

    let exitedResolve: (exit: TreeExit) => void = () => undefined
    const exited = new Promise<TreeExit>((res) => (exitedResolve = res))
    let done = false
    let grace: NodeJS.Timeout | undefined
    const finish = (code: number | null, signal: NodeJS.Signals | null, outputAbandoned: boolean): void => {
      if (done) return
      done = true
      if (grace !== undefined) clearTimeout(grace)
      live.delete(child)
      exitedResolve({ code, signal, outputAbandoned })
    }

    child.once('error', (error) => {
      // Before 'spawn': it could not be started. After: a failed kill, nothing to report.
      if (child.pid === undefined) reject(error)
    })
    child.once('spawn', () => {
      const pid = child.pid
      if (pid === undefined) return // cannot happen after 'spawn'
      live.add(child)
      if (!exitHook) {
        exitHook = true
        process.on('exit', () => {
          for (const c of live) killSync(c)
        })
      }
      child.once('exit', (code, signal) => {
        grace = setTimeout(() => {
          child.stdout.destroy()
          child.stderr.destroy()
          finish(code, signal, true)
        }, opts.graceMs)
      })
      child.once('close', (code: number | null, signal: NodeJS.Signals | null) => finish(code, signal, false))
      // Once it has been reaped, its pid may belong to someone else: never signal it again.
      resolve({ pid, exited, killTree: () => (done ? Promise.resolve() : killTree(child)) })
    })
  })
}
