/**
 * The PowerShell host's process handling, with real child processes (standin.ts): the script
 * file, the argument vector, streaming, bounded memory, timeouts that kill the whole tree,
 * close(), and a shell that is not installed.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Command } from '../../runner/core/command.js'
import { InterruptedError } from '../../runner/core/errors.js'
import type { HostRunOptions } from '../../runner/core/host.js'
import { DEFAULT_SCRIPT_TIMEOUT_MS, PowerShellHost } from '../../runner/runtimes/powershell/host.js'
import type { PowerShellHostOptions } from '../../runner/runtimes/powershell/host.js'
import { gone, isAlive, makeStandin, script } from './standin.js'
import type { Standin } from './standin.js'

let standin: Standin
beforeAll(async () => {
  standin = await makeStandin()
})
afterAll(async () => {
  await standin.remove()
})

const CMD: Command = { cmdlet: 'Get-CsPersistentChatPool', params: [] }
const OK_ONE = JSON.stringify({ ok: true, results: [{ output: ['done'] }] })

function options(render: () => string, more: Partial<PowerShellHostOptions> = {}): PowerShellHostOptions {
  return { shell: standin.shell, scriptsDir: join(standin.dir, 'scripts'), render, timeoutMs: 20_000, env: standin.env, ...more }
}

function host(directives: string[], more: Partial<PowerShellHostOptions> = {}): PowerShellHost {
  return new PowerShellHost(options(() => script(...directives), more))
}

function runOpts(log: (line: string) => void, stepId = 'cutover.export.gc2010'): HostRunOptions {
  return { stepId, progress: () => undefined, log }
}

/** Resolves with the number in the first log line `<prefix> <n>`. */
function numberFrom(prefix: string): { log: (line: string) => void; value: Promise<number> } {
  let found: (n: number) => void = () => undefined
  const value = new Promise<number>((resolve) => (found = resolve))
  return {
    log: (line) => {
      if (line.startsWith(`${prefix} `)) found(Number(line.slice(prefix.length + 1)))
    },
    value,
  }
}

describe('PowerShellHost: the script and how it is started', () => {
  it('writes the exact rendered text under scriptsDir as UTF-8 with a BOM, never overwriting an earlier script', async () => {
    const scriptsDir = join(standin.dir, 'bom')
    const text = `${script(`result ${OK_ONE}`)}# Set-CsPersistentChatRoom -Identity 'Zoë’s room' -Description 'l''été — Ω'\r\n`
    const h = new PowerShellHost(options(() => text, { scriptsDir }))
    await h.run([CMD], runOpts(() => undefined, 'prepare.rooms'))
    const bytes = await readFile(join(scriptsDir, 'prepare.rooms-1.ps1'))
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(bytes.subarray(3).toString('utf8')).toBe(text)

    // An earlier attempt's script (another host, e.g. a resumed run) is kept: the next number is used.
    await new PowerShellHost(options(() => text, { scriptsDir })).run([CMD], runOpts(() => undefined, 'prepare.rooms'))
    await h.run([CMD], runOpts(() => undefined, 'prepare.rooms'))
    expect((await readdir(scriptsDir)).sort()).toEqual(['prepare.rooms-1.ps1', 'prepare.rooms-2.ps1', 'prepare.rooms-3.ps1'])
  })

  it('runs <shell> -NoProfile -NonInteractive -ExecutionPolicy Bypass -File <script>, exactly', async () => {
    const lines: string[] = []
    await host(['argv', `result ${OK_ONE}`]).run([CMD], runOpts((l) => lines.push(l)))
    const scriptPath = (lines[0] ?? '').replace(/^.* -File /, '')
    expect(scriptPath).toMatch(/^\/.*\/scripts\/cutover\.export\.gc2010-\d+\.ps1$/)
    expect(lines[1]).toBe(`argv ${JSON.stringify(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', scriptPath])}`)
  })

  it('maps environment.shell to the executable', () => {
    expect(new PowerShellHost(options(() => '', { shell: 'powershell' })).name).toBe('PowerShell (powershell.exe)')
    expect(new PowerShellHost(options(() => '', { shell: 'pwsh' })).name).toBe('PowerShell (pwsh)')
    expect(DEFAULT_SCRIPT_TIMEOUT_MS).toBe(2 * 60 * 60 * 1000)
    expect(new PowerShellHost({ shell: 'pwsh', scriptsDir: standin.dir, render: () => '' })).toBeInstanceOf(PowerShellHost)
    expect(() => new PowerShellHost(options(() => '', { timeoutMs: 0 }))).toThrow(RangeError)
  })

  it('a shell that is not installed gives one clear line', async () => {
    const env = { ...standin.env, PATH: join(standin.dir, 'empty') }
    await expect(host([], { shell: 'pwsh', env }).run([CMD], runOpts(() => undefined))).rejects.toThrow(new Error('cannot start pwsh: not found; install PowerShell 7 or set environment.shell: powershell'))
    await expect(host([], { shell: 'powershell', env }).run([CMD], runOpts(() => undefined))).rejects.toThrow(/^cannot start powershell\.exe: not found; Windows PowerShell \(powershell\.exe\) exists only on Windows; /)
    await expect(host([], { shell: '/nonexistent/pwsh' }).run([CMD], runOpts(() => undefined))).rejects.toThrow(new Error('cannot start /nonexistent/pwsh: not found; check environment.shell'))
  })
})

describe('PowerShellHost: output', () => {
  it('streams log lines while the script runs (the script waits for the host to have seen one)', async () => {
    const go = join(standin.dir, 'go')
    const seen: { line: string; at: number }[] = []
    const log = (line: string): void => {
      seen.push({ line, at: Date.now() })
      if (line === 'ready, secret=hunter2'.replace('hunter2', '***')) void writeFile(go, '')
    }
    const redact = (text: string): string => text.split('hunter2').join('***')
    const results = await host(['say ready, secret=hunter2', `wait-file ${go}`, 'sleep 300', 'say after', `result ${OK_ONE}`], { redact }).run([CMD], runOpts(log))
    const ended = Date.now()
    expect(results).toEqual([{ output: ['done'] }])
    expect(seen.map((s) => s.line).slice(1)).toEqual(['ready, secret=***', 'after'])
    expect(ended - (seen[1]?.at ?? ended)).toBeGreaterThanOrEqual(250) // logged well before the end
  })

  it('decodes UTF-8 split across writes, drops CR of CRLF and a leading BOM', async () => {
    const lines: string[] = []
    // BOM, "Zoë’s\r\n", "ok\n": every byte written separately.
    const hex = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Zoë’s\r\nok\n', 'utf8')]).toString('hex')
    await host([`raw-hex ${hex}`, `result ${OK_ONE}`]).run([CMD], runOpts((l) => lines.push(l)))
    expect(lines.slice(1)).toEqual(['Zoë’s', 'ok'])
  })

  it('streams 24 MiB of output in bounded memory and still succeeds', async () => {
    let count = 0
    let bytes = 0
    let peak = 0
    const before = process.memoryUsage().heapUsed
    const log = (line: string): void => {
      count++
      bytes += line.length + 1
      if (count % 2000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - before)
    }
    const results = await host(['flood 24', `result ${OK_ONE}`]).run([CMD], runOpts(log))
    expect(results).toEqual([{ output: ['done'] }])
    expect(bytes).toBeGreaterThanOrEqual(24 * 1024 * 1024)
    // Holding the output (or even half of it) would take more than this.
    expect(peak).toBeLessThan(12 * 1024 * 1024)
  })

  it('cuts a very long log line, keeping its start', async () => {
    const lines: string[] = []
    await host(['long-line 3000000', `result ${OK_ONE}`]).run([CMD], runOpts((l) => lines.push(l)))
    expect(lines[1]).toBe(`${'y'.repeat(16 * 1024)}… (${3_000_000 - 16 * 1024} more characters not shown)`)
  })

  it('refuses a result line longer than 16 MiB', async () => {
    await expect(host(['big-result 17']).run([CMD], runOpts(() => undefined))).rejects.toThrow(/^PowerShell printed a result line longer than 16 MiB; script /)
  })
})

describe('PowerShellHost: stopping scripts', () => {
  it('a timeout kills the script and a process it started, then says so', async () => {
    const pid = numberFrom('pid')
    const grandchild = numberFrom('grandchild')
    const started = Date.now()
    const run = host(['pid', 'grandchild', 'sleep 60000', `result ${OK_ONE}`], { timeoutMs: 1500 }).run([CMD], runOpts((l) => (pid.log(l), grandchild.log(l))))
    const [p, g] = await Promise.all([pid.value, grandchild.value])
    expect(await isAlive(g)).toBe(true)
    await expect(run).rejects.toThrow(/^PowerShell timed out after 1\.5 s; it was killed with every process it started; script \S+; last output:\n {2}pid \d+\n {2}grandchild \d+$/)
    expect(Date.now() - started).toBeLessThan(8000)
    expect(await gone(p)).toBe(true)
    expect(await gone(g)).toBe(true)
  })

  it('close() kills a running script and its children; the run rejects and the host runs nothing more', async () => {
    const pid = numberFrom('pid')
    const grandchild = numberFrom('grandchild')
    const h = host(['pid', 'grandchild', 'sleep 60000', `result ${OK_ONE}`])
    const run = h.run([CMD], runOpts((l) => (pid.log(l), grandchild.log(l))))
    const [p, g] = await Promise.all([pid.value, grandchild.value])
    await h.close()
    await expect(run).rejects.toThrow(/^PowerShell was stopped because cutover closed the host while the script ran; /)
    expect(await gone(p)).toBe(true)
    expect(await gone(g)).toBe(true)
    await expect(h.run([CMD], runOpts(() => undefined))).rejects.toThrow('the PowerShell host is closed')
  })

  it('an aborted signal (Ctrl-C) kills the script and its children at once, and the run rejects as interrupted', async () => {
    const pid = numberFrom('pid')
    const grandchild = numberFrom('grandchild')
    const controller = new AbortController()
    const h = host(['pid', 'grandchild', 'sleep 60000', `result ${OK_ONE}`])
    const run = h.run([CMD], { ...runOpts((l) => (pid.log(l), grandchild.log(l))), signal: controller.signal })
    const [p, g] = await Promise.all([pid.value, grandchild.value])
    expect(await isAlive(g)).toBe(true)
    const started = Date.now()
    controller.abort()
    const error = await run.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InterruptedError)
    expect((error as Error).message).toMatch(/^PowerShell was stopped \(interrupted\): it was killed with every process it started; script \S+$/)
    expect(Date.now() - started).toBeLessThan(5000)
    expect(await gone(p)).toBe(true)
    expect(await gone(g)).toBe(true)
    await h.close()
  })
})
