/**
 * A stand-in for powershell.exe / pwsh, since no Windows PowerShell runs here: an executable Node
 * script that takes the same arguments (`-NoProfile -NonInteractive -ExecutionPolicy Bypass -File
 * <script>`), reads the script the host wrote, and acts on `# standin: <verb> <arg>` comment lines
 * in it, in order. Every other line (the preamble a real renderer writes) is ignored.
 *
 *   say <text>          print a line on stdout          print <n>     print "line 1" .. "line n"
 *   stderr <text>       print a line on stderr          result <json> print the result line
 *   exit <code>         stop and exit with that code    sleep <ms>    wait
 *   argv                print "argv <JSON of its arguments>"
 *   pid                 print "pid <its pid>"           env <NAME>    print "env NAME=value"
 *   grandchild          start a node process that sleeps 60 s (same process group, same stdout)
 *                       and print "grandchild <pid>"
 *   wait-file <path>    wait until the file exists (exit 9 after 10 s)
 *   flood <MiB>         print that many MiB of 100-byte lines, respecting back-pressure
 *   long-line <chars>   print one line of that many characters
 *   big-result <MiB>    print a result line whose JSON is that large
 *   raw-hex <hex>       write these bytes, one byte per write, 5 ms apart
 *
 * Two environment variables make it stand in for a real script (one cutover rendered):
 *   STANDIN_COPY_DIR    copy every script it is given into this folder, under its own name
 *   STANDIN_RESULT      a script without directives prints this result line (JSON after the marker)
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { RESULT_MARKER } from '../../runner/runtimes/powershell/protocol.js'

const STANDIN = `#!/usr/bin/env node
'use strict'
const fs = require('node:fs')
const { spawn } = require('node:child_process')
const MARKER = ${JSON.stringify(RESULT_MARKER)}
const args = process.argv.slice(2)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const out = (s) => new Promise((r) => (process.stdout.write(s) ? r() : process.stdout.once('drain', r)))

async function main() {
  const file = args[args.indexOf('-File') + 1]
  const text = fs.readFileSync(file, 'utf8').replace(/^\\uFEFF/, '')
  if (process.env.STANDIN_COPY_DIR) fs.copyFileSync(file, require('node:path').join(process.env.STANDIN_COPY_DIR, require('node:path').basename(file)))
  if (process.env.STANDIN_RESULT && !/^# standin: /m.test(text)) { await out(MARKER + process.env.STANDIN_RESULT + '\\n'); return }
  for (const raw of text.split(/\\r?\\n/)) {
    const m = /^# standin: (\\S+) ?(.*)$/.exec(raw)
    if (!m) continue
    const [, verb, arg] = m
    switch (verb) {
      case 'say': await out(arg + '\\n'); break
      case 'print': for (let k = 1; k <= Number(arg); k++) await out('line ' + k + '\\n'); break
      case 'stderr': process.stderr.write(arg + '\\n'); break
      case 'result': await out(MARKER + arg + '\\n'); break
      case 'exit': process.exitCode = Number(arg); return
      case 'sleep': await sleep(Number(arg)); break
      case 'argv': await out('argv ' + JSON.stringify(args) + '\\n'); break
      case 'pid': await out('pid ' + process.pid + '\\n'); break
      case 'env': await out('env ' + arg + '=' + (process.env[arg] ?? '') + '\\n'); break
      case 'grandchild': {
        const g = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: ['ignore', 'inherit', 'inherit'] })
        await out('grandchild ' + g.pid + '\\n')
        break
      }
      case 'wait-file': {
        const deadline = Date.now() + 10000
        while (!fs.existsSync(arg)) {
          if (Date.now() > deadline) { process.exitCode = 9; return }
          await sleep(10)
        }
        break
      }
      case 'flood': {
        const chunk = ('x'.repeat(99) + '\\n').repeat(655)
        for (let written = 0; written < Number(arg) * 1024 * 1024; written += chunk.length) await out(chunk)
        break
      }
      case 'long-line': await out('y'.repeat(Number(arg)) + '\\n'); break
      case 'big-result': await out(MARKER + '{"ok":true,"results":[{"output":["' + 'z'.repeat(Number(arg) * 1024 * 1024) + '"]}]}\\n'); break
      case 'raw-hex': for (const b of Buffer.from(arg, 'hex')) { await out(Buffer.from([b])); await sleep(5) } break
      default: process.stderr.write('standin: unknown directive ' + verb + '\\n'); process.exitCode = 64; return
    }
  }
}
main().catch((e) => { process.stderr.write(String(e && e.stack || e) + '\\n'); process.exitCode = 70 })
`

export interface Standin {
  /** The executable stand-in shell. */
  readonly shell: string
  /** A temp folder for scripts and marker files. */
  readonly dir: string
  /** An environment whose PATH finds `node` (for the shebang). */
  readonly env: NodeJS.ProcessEnv
  remove(): Promise<void>
}

export async function makeStandin(): Promise<Standin> {
  const dir = await mkdtemp(join(tmpdir(), 'cutover-standin-'))
  const shell = join(dir, 'standin-pwsh')
  await writeFile(shell, STANDIN)
  await chmod(shell, 0o755)
  const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` }
  return { shell, dir, env, remove: () => rm(dir, { recursive: true, force: true }) }
}

/** A script as a renderer would write it: a preamble, then the stand-in's directives. */
export function script(...directives: string[]): string {
  return ["$ErrorActionPreference = 'Stop'", ...directives.map((d) => `# standin: ${d}`), ''].join('\r\n')
}

/** Whether a pid is a live process (a zombie nobody has reaped yet counts as dead). */
export async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return true // no /proc (macOS): kill(0) succeeded
  }
}

/** Waits until the pid is gone; false if it is still alive after `ms`. */
export async function gone(pid: number, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms
  while (await isAlive(pid)) {
    if (Date.now() > deadline) return false
    await new Promise((r) => setTimeout(r, 20))
  }
  return true
}
