/**
 * The PowerShell host against a stand-in shell (standin.ts): what counts as success, and what
 * each kind of failure says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Command } from '../../runner/core/command.js'
import type { HostRunOptions } from '../../runner/core/host.js'
import { PowerShellHost } from '../../runner/runtimes/powershell/host.js'
import type { PowerShellHostOptions } from '../../runner/runtimes/powershell/host.js'
import type { Step } from '../../runner/core/step.js'
import type { RunContext } from '../../runner/steps/define.js'
import { importKind } from '../../runner/steps/kinds/import.js'
import type { ImportInput } from '../../runner/steps/kinds/import.js'
import { makeStandin, script } from './standin.js'
import type { Standin } from './standin.js'

let standin: Standin
beforeAll(async () => {
  standin = await makeStandin()
})
afterAll(async () => {
  await standin.remove()
})

const CMD: Command = { cmdlet: 'Get-CsPersistentChatPool', params: [] }
const IMPORT: Command = { cmdlet: 'Import-CsPersistentChatData', params: [['DBInstance', 'pchat.contoso.local\\PCHAT'], ['WhatIf', { switch: true }]] }

function host(directives: string[], more: Partial<PowerShellHostOptions> = {}): PowerShellHost {
  return new PowerShellHost({ shell: standin.shell, scriptsDir: `${standin.dir}/scripts`, render: () => script(...directives), timeoutMs: 20_000, env: standin.env, ...more })
}

function runOpts(log: string[] = []): HostRunOptions {
  return { stepId: 'cutover.import', progress: () => undefined, log: (line) => log.push(line) }
}

const OK_ONE = JSON.stringify({ ok: true, results: [{ output: ['done'] }] })

describe('PowerShellHost: success', () => {
  it('maps results to command results: output, data, warnings, and errors into data.errors', async () => {
    const log: string[] = []
    const result = JSON.stringify({
      ok: true,
      results: [
        { output: ['pool pchat01', 'state: ok'], data: { Enabled: true, rooms: 3 }, warnings: ['room Zoë’s has no manager'] },
        { output: 'one line, unwrapped by ConvertTo-Json', data: { imported: 5 }, errors: ['category Sales: bad ACL', 'room X: no owner'] },
      ],
    })
    const results = await host(['print 3', `result ${result}`]).run([CMD, IMPORT], runOpts(log))
    expect(results).toEqual([
      { output: ['pool pchat01', 'state: ok'], data: { Enabled: true, rooms: 3 }, warnings: ['room Zoë’s has no manager'] },
      { output: ['one line, unwrapped by ConvertTo-Json'], data: { imported: 5, errors: ['category Sales: bad ACL', 'room X: no owner'] } },
    ])
    expect(log.slice(1)).toEqual(['line 1', 'line 2', 'line 3']) // the result line is not log output
    expect(log[0]).toMatch(/standin-pwsh -File .*cutover\.import-\d+\.ps1$/)
  })

  it('lets the import step see Import -WhatIf errors (data.errors)', async () => {
    const result = JSON.stringify({ ok: true, results: [{ output: [], data: { errors: 'ignored: replaced by the errors field' }, errors: ['room Sales: member unknown'] }] })
    const step = { id: 'cutover.import', kind: 'import', phase: 'cutover', title: 'import', fingerprint: 'f', input: { source: 'gc', dbInstance: 'db', file: 'f.zip', report: 'r.xml', whatIf: true, exportStep: 'cutover.export' } } as unknown as Step<'import', ImportInput>
    const ctx = {
      record: (id: string) => (id === 'cutover.export' ? { status: 'done' } : undefined),
      host: host([`result ${result}`]),
      progress: () => undefined,
      log: () => undefined,
    } as unknown as RunContext
    await expect(importKind.run(step, ctx)).rejects.toThrow('Import -WhatIf found 1 error(s); fix them in the legacy Group Chat Admin Tool (or the plan) and export again: room Sales: member unknown')
  })

  it('passes the environment it is given', async () => {
    const log: string[] = []
    await host(['env CUTOVER_TEST_VALUE', `result ${OK_ONE}`], { env: { ...standin.env, CUTOVER_TEST_VALUE: 'forty-two' } }).run([CMD], runOpts(log))
    expect(log).toContain('env CUTOVER_TEST_VALUE=forty-two')
  })
})

describe('PowerShellHost: a long silent script', () => {
  it('says it still runs while it prints nothing, and not while it prints', async () => {
    const log: string[] = []
    await host(['sleep 450', 'say done', `result ${OK_ONE}`], { heartbeatMs: 100 }).run([CMD], runOpts(log))
    const beats = log.filter((l) => l.startsWith('PowerShell still running after '))
    expect(beats.length).toBeGreaterThanOrEqual(2)
    expect(beats[0]).toMatch(/ \(stopped after 20 s: environment\.scriptTimeout\)$/)
    // After the last output line, no heartbeat: the script was not silent then.
    expect(log.indexOf('done')).toBeGreaterThan(log.indexOf(beats[0] ?? ''))

    // A line every 50 ms for over a second: with a 400 ms heartbeat, a clock that ignored output
    // would speak at least twice. Counted from the first line (starting the shell is silent).
    const chatty: string[] = []
    await host([...Array.from({ length: 24 }, () => ['say tick', 'sleep 50']).flat(), `result ${OK_ONE}`], { heartbeatMs: 400 }).run([CMD], runOpts(chatty))
    expect(chatty.filter((l) => l === 'tick')).toHaveLength(24)
    expect(chatty.slice(chatty.indexOf('tick')).filter((l) => l.startsWith('PowerShell still running'))).toEqual([])
  })
})

describe('PowerShellHost: failures say which check failed, with the last output', () => {
  it('non-zero exit code, even with an ok result line', async () => {
    await expect(host([`result ${OK_ONE}`, 'exit 3']).run([CMD], runOpts())).rejects.toThrow(/^PowerShell exited with code 3; script \S+cutover\.import-\d+\.ps1; last output: \(none\)$/)
  })

  it('non-zero exit code and no result line: quotes the last 10 lines', async () => {
    const error = await host(['print 25', 'exit 1']).run([CMD], runOpts()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    const message = (error as Error).message
    expect(message).toMatch(/^PowerShell exited with code 1 \(no result line\); script \S+\.ps1; last output:\n/)
    expect(message.split('\n').slice(1)).toEqual(Array.from({ length: 10 }, (_, i) => `  line ${16 + i}`))
  })

  it('missing result line with exit code 0', async () => {
    await expect(host(['say hello']).run([CMD], runOpts())).rejects.toThrow(/^PowerShell exited with code 0 \(no result line\); .*last output:\n {2}hello$/)
  })

  it.each([
    ['{not json', /malformed result line: not JSON/],
    ['[1,2]', /malformed result line: not a JSON object/],
    ['{"ok":"yes","results":[]}', /malformed result line: "ok" is not true or false/],
    ['{"ok":true,"results":[{"output":[1]}]}', /malformed result line: results\[0\]\.output\[0\] is number, not text/],
    ['{"ok":true,"results":[{"data":[1]}]}', /malformed result line: results\[0\]\.data is not an object/],
  ])('malformed result line %s', async (json, expected) => {
    await expect(host([`result ${json}`]).run([CMD], runOpts())).rejects.toThrow(expected)
  })

  it('two result lines', async () => {
    await expect(host([`result ${OK_ONE}`, `result ${OK_ONE}`]).run([CMD], runOpts())).rejects.toThrow(/^PowerShell exited with code 0 \(2 result lines, expected one\)/)
  })

  it('a result count that does not match the batch', async () => {
    await expect(host([`result ${OK_ONE}`]).run([CMD, CMD], runOpts())).rejects.toThrow(/\(the result line has 1 result\(s\) for 2 command\(s\)\)/)
  })

  it('anything on standard error fails the step, though exit code and result are fine', async () => {
    const log: string[] = []
    const error = (await host(['stderr boom', `result ${OK_ONE}`]).run([CMD], runOpts(log)).catch((e: unknown) => e)) as Error
    expect(error.message).toMatch(/^PowerShell exited with code 0 \(1 line\(s\) on standard error\); .*last output:\n {2}stderr: boom$/)
    expect(log).toContain('stderr: boom')
  })

  it('blank lines on standard error are not errors', async () => {
    await expect(host(['stderr ', `result ${OK_ONE}`]).run([CMD], runOpts())).resolves.toHaveLength(1)
  })

  it('ok:false carries the script’s own error text', async () => {
    const error = 'Import-CsPersistentChatData : Cannot open database ’PersistentChatStore’ requested by the login.'
    const result = JSON.stringify({ ok: false, results: [], error })
    await expect(host(['stderr Import-CsPersistentChatData : Cannot open database', `result ${result}`, 'exit 1']).run([IMPORT], runOpts())).rejects.toThrow(new Error(error))
  })

  it('ok:false without an error text still says what happened', async () => {
    await expect(host(['result {"ok":false,"results":[{}]}', 'exit 1']).run([CMD, CMD], runOpts())).rejects.toThrow(/the script reported a failure without an error text \(after 1 of 2 commands\)/)
  })

  it('redacts log lines, the quoted output and the script’s error', async () => {
    const redact = (text: string): string => text.split('hunter2').join('***')
    const log: string[] = []
    const error = (await host(['say password=hunter2', 'stderr token hunter2', 'exit 2'], { redact }).run([CMD], runOpts(log)).catch((e: unknown) => e)) as Error
    expect(log.slice(1)).toEqual(['password=***', 'stderr: token ***'])
    expect(error.message).toContain('\n  password=***\n  stderr: token ***')
    expect(error.message).not.toContain('hunter2')
    const failed = JSON.stringify({ ok: false, results: [], error: 'login failed for sa/hunter2' })
    await expect(host([`result ${failed}`, 'exit 1'], { redact }).run([CMD], runOpts())).rejects.toThrow(new Error('login failed for sa/***'))
  })
})
