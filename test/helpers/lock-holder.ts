/**
 * A live process holding a plan's lock through the BUILT store (dist/runner/state/file-store.js),
 * as a running `cutover apply` would: for the lock tests of the CLI. Build first (npm run build).
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT } from './cli.js'

const STORE = pathToFileURL(join(ROOT, 'dist', 'runner', 'state', 'file-store.js')).href

// Takes the lock, prints one JSON line, then holds it until killed (or released when stdin ends).
const CHILD = `
import { hostname } from 'node:os'
const { FileStateStore } = await import(process.argv[1])
const [dir, name, command] = process.argv.slice(2)
const store = new FileStateStore(dir, name)
try {
  const lock = await store.acquireLock({ host: hostname(), pid: process.pid, startedAt: new Date().toISOString(), user: 'holder', command })
  console.log(JSON.stringify({ won: true, pid: process.pid }))
  process.stdin.on('end', async () => { await lock.release(); process.exit(0) })
  process.stdin.resume()
} catch (error) {
  console.log(JSON.stringify({ won: false, error: error.name, message: error.message }))
  process.exit(1)
}
`

export interface LockHolderProcess {
  readonly child: ChildProcess
  readonly pid: number
  /** SIGKILLs the holder (as a power cut would) and waits until it is gone, lock left behind. */
  kill(): Promise<void>
  /** Lets the holder release the lock and exit. */
  release(): Promise<void>
}

/** Starts a process that takes the lock of plan `name` in `stateDir` (`.cutover/`) and holds it. */
export async function holdLock(stateDir: string, name: string, command = 'cutover apply plan.yaml --yes (lock holder)'): Promise<LockHolderProcess> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, STORE, stateDir, name, command], { stdio: ['pipe', 'pipe', 'inherit'] })
  const exited = once(child, 'exit')
  let out = ''
  child.stdout?.setEncoding('utf8')
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d: string) => {
      out += d
      if (out.includes('\n')) resolve(out.split('\n')[0] ?? '')
    })
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${String(code)}) before taking the lock: ${out}`)))
  })
  const result = JSON.parse(line) as { won: boolean; pid?: number; message?: string }
  if (!result.won || child.pid === undefined) throw new Error(`the lock holder could not take the lock: ${result.message ?? line}`)
  const pid = child.pid
  return {
    child,
    pid,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
    async release() {
      child.stdin?.end()
      await exited
    },
  }
}
