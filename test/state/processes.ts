/**
 * Real child processes for the lock tests: pids that are provably dead, and children that take
 * the lock through the store's own code. Node 20 cannot run TypeScript, so runner/state is
 * transpiled once into a temp folder (type-only, nothing to check) instead of relying on a dist/
 * that may be stale.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { afterAll, afterEach } from 'vitest'

const RUNNER = fileURLToPath(new URL('../../runner/', import.meta.url))
/** The folders the file store's modules import at run time: itself and core/ (its errors). */
const FOLDERS = ['state', 'core']

/** The pid of a node process that has already exited. */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  const pid = child.pid
  if (pid === undefined) throw new Error('could not start node')
  await new Promise((resolve) => child.once('exit', resolve))
  return pid
}

// The child: waits until `startAt`, takes the lock, prints one JSON line, holds the lock until
// its stdin closes (then releases and exits) or it is killed.
const CHILD = `
import { hostname } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { FileStateStore } from './file-store.js'
const [dir, name, startAt] = process.argv.slice(2)
const store = new FileStateStore(dir, name)
await sleep(Math.max(0, Number(startAt) - Date.now()))
try {
  const lock = await store.acquireLock({ host: hostname(), pid: process.pid, startedAt: new Date().toISOString(), user: 'child', command: 'cutover apply child.yaml' })
  console.log(JSON.stringify({ won: true, stale: lock.tookOverStale?.pid ?? null }))
  process.stdin.on('end', async () => { await lock.release(); process.exit(0) })
  process.stdin.resume()
} catch (error) {
  console.log(JSON.stringify({ won: false, error: error.name, message: error.message }))
}
`

// The churner: saves and journals as fast as it can until killed, printing once it has begun.
const CHURN = `
import { hostname } from 'node:os'
import { FileStateStore } from './file-store.js'
const [dir, name] = process.argv.slice(2)
const store = new FileStateStore(dir, name)
for (let n = 0; ; n++) {
  const at = new Date(Date.UTC(2026, 11, 5, 22, 0, 0, n)).toISOString()
  await store.save({ formatVersion: 1, plan: { name, hash: 'h' }, steps: { s: { id: 's', status: 'running', fingerprint: 'f', attempts: n, startedAt: at, outputs: { pad: 'x'.repeat(n % 5000) } } }, createdAt: at, updatedAt: at })
  await store.append({ at, who: 'churn', host: hostname(), pid: process.pid, event: 'saved', detail: { n, pad: 'y'.repeat(n % 3000) } })
  if (n === 5) console.log('{"won":true}')
}
`

let built: Promise<string> | undefined
const running = new Set<ChildProcess>()

afterEach(() => {
  // A failed assertion must not leave a child holding a lock (or the test run) open.
  for (const child of running) child.kill('SIGKILL')
  running.clear()
})

afterAll(async () => {
  if (built !== undefined) await rm(join(await built, '..'), { recursive: true, force: true })
})

/** runner/state (and the core/ it imports) as plain ES modules in a temp folder, with the child
 * scripts beside the state modules; returns the state folder. */
export function builtStateModule(): Promise<string> {
  built ??= (async () => {
    const root = await mkdtemp(join(tmpdir(), 'cutover-state-module-'))
    await writeFile(join(root, 'package.json'), '{"type":"module"}\n')
    for (const folder of FOLDERS) {
      await mkdir(join(root, folder))
      for (const file of await readdir(join(RUNNER, folder))) {
        if (!file.endsWith('.ts')) continue
        const source = await readFile(join(RUNNER, folder, file), 'utf8')
        const { outputText } = ts.transpileModule(source, {
          compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
        })
        await writeFile(join(root, folder, file.replace(/\.ts$/, '.js')), outputText)
      }
    }
    const out = join(root, 'state')
    await writeFile(join(out, 'child.mjs'), CHILD)
    await writeFile(join(out, 'churn.mjs'), CHURN)
    return out
  })()
  return built
}

export interface ChildResult {
  readonly won: boolean
  readonly stale?: number | null
  readonly error?: string
  readonly message?: string
}

export interface LockChild {
  readonly process: ChildProcess
  readonly pid: number
  /** What the child printed after trying to take the lock. */
  readonly result: Promise<ChildResult>
  readonly exited: Promise<void>
}

/** Starts a child that tries to take the lock of `name` in `dir` at `startAt` (epoch ms). */
export function lockChild(dir: string, name: string, startAt = 0): Promise<LockChild> {
  return stateChild('child.mjs', [dir, name, String(startAt)])
}

/** Starts a child that saves states and appends journal lines in a loop until it is killed;
 * its result arrives once it is under way. */
export function churnChild(dir: string, name: string): Promise<LockChild> {
  return stateChild('churn.mjs', [dir, name])
}

async function stateChild(script: string, args: string[]): Promise<LockChild> {
  const module = await builtStateModule()
  const child = spawn(process.execPath, [join(module, script), ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
  if (child.pid === undefined) throw new Error('could not start node')
  running.add(child)
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child)
      resolve()
    }),
  )
  const result = new Promise<ChildResult>((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8')
      const newline = out.indexOf('\n')
      if (newline >= 0) resolve(JSON.parse(out.slice(0, newline)) as ChildResult)
    })
    child.once('exit', (code) => reject(new Error(`lock child exited (${code}) before answering: ${out}`)))
  })
  return { process: child, pid: child.pid, result, exited }
}
