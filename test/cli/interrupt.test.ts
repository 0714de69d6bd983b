/**
 * Ctrl-C, prompts and guards of the commands that change something, each run as a real child
 * process: Ctrl-C stops the running step, journals `interrupted`, releases the lock and exits 130;
 * rollback asks on a terminal and does nothing unanswered; guards read the recorded state.
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { PAUSED_FLAG } from '../../runner/lab/faults.js'
import { BIN } from '../helpers/cli.js'
import { cutover, filesOf, lines, newCase, readJournal, readState, snapshot } from '../helpers/case-files.js'
import type { LabCase } from '../helpers/lab.js'

interface Interrupted {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs the CLI and sends it SIGINT (what Ctrl-C sends) once its stderr shows `when`. */
function interruptWhen(c: LabCase, args: readonly string[], env: Readonly<Record<string, string>>, when: RegExp): Promise<Interrupted> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: c.dir,
      env: { ...process.env, NO_COLOR: '1', CUTOVER_LAB_FAULTS: '', CUTOVER_CLOCK: '', CUTOVER_CRASH_AT: '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let sent = false
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d
      if (!sent && when.test(stderr)) {
        sent = true
        child.kill('SIGINT')
      }
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end()
  })
}

/** Runs the CLI on a pseudo-terminal (util-linux `script`), typing each answer once its prompt
 * shows, in order; `\x04` is Ctrl-D (the terminal closes its input), `\x03` is Ctrl-C. */
function onTerminal(c: LabCase, args: readonly string[], prompt: RegExp, answer: string, env: Readonly<Record<string, string>> = {}, more: readonly (readonly [RegExp | (() => boolean), string])[] = []): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ')
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: c.dir, env: { ...process.env, NO_COLOR: '1', CUTOVER_LAB_FAULTS: '', CUTOVER_CLOCK: '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] })
    let screen = ''
    const script: readonly (readonly [RegExp | (() => boolean), string])[] = [[prompt, answer], ...more]
    let next = 0
    // The terminal renderer moves the cursor between characters: match the text alone.
    // eslint-disable-next-line no-control-regex
    const shown = (): string => screen.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    const advance = (): void => {
      const step = script[next]
      if (step === undefined) return
      const [when, type] = step
      if (typeof when === 'function' ? when() : when.test(shown())) {
        next++
        child.stdin.write(type)
      }
    }
    const poll = setInterval(advance, 50)
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      screen += d
      advance()
    })
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      clearInterval(poll)
      resolve({ code, screen })
    })
  })
}

const noLock = (c: LabCase) => !existsSync(filesOf(c).lock)

describe('Ctrl-C', () => {
  it('during apply: the export stops, stays recorded as running, interrupted is journaled, the lock is released, exit 130; apply again completes', async () => {
    const c = await newCase()
    const r = await interruptWhen(c, ['apply', 'plan.yaml', '--yes', '--quiet'], { CUTOVER_LAB_FAULTS: 'pause:Export-CsPersistentChatData@0.5' }, /lab emulator: paused/)
    expect(r.code).toBe(130)
    expect(r.stderr).toMatch(/cutover: interrupted; stopping apply/)
    expect(lines(r.stderr).at(-1)).toMatch(/^cutover: interrupted during cutover\.export\.gc2010, which stays recorded as running; the lock is released/)
    expect(noLock(c)).toBe(true)
    expect(readState(c).steps['cutover.export.gc2010']).toMatchObject({ status: 'running', attempts: 1 })
    const journal = readJournal(c)
    expect(journal.find((e) => e.event === 'interrupted')).toMatchObject({ step: 'cutover.export.gc2010', detail: { command: 'apply' } })
    expect(journal.at(-1)).toMatchObject({ event: 'apply-end', outcome: 'interrupted' })
    // The report was refreshed once, after the interruption.
    expect(readFileSync(filesOf(c).report, 'utf8')).toContain('cutover.export.gc2010')

    const again = await cutover(c, ['apply', 'plan.yaml', '--yes', '--quiet'])
    expect(again.stderr).toBe('')
    expect(again.code).toBe(0)
    expect(readState(c).steps['cutover.export.gc2010']).toMatchObject({ status: 'done', attempts: 2 })
    expect(readState(c).steps['cutover.verify']).toMatchObject({ status: 'done' })
  })

  it('during rollback: stops after the undo that runs, journals interrupted, releases the lock, exit 130; rollback again finishes', async () => {
    const c = await newCase()
    expect((await cutover(c, ['apply', 'plan.yaml', '--yes', '--quiet', '--until', 'cutover.verify'])).code).toBe(3)
    const r = await interruptWhen(c, ['rollback', 'plan.yaml', '--yes'], { CUTOVER_LAB_FAULTS: 'pause:Remove-CsPersistentChatEndpoint@0' }, /lab emulator: paused/)
    expect(r.code).toBe(130)
    expect(noLock(c)).toBe(true)
    const journal = readJournal(c)
    expect(journal.at(-1)).toMatchObject({ event: 'interrupted', detail: { command: 'rollback' } })
    // The endpoint's undo was stopped: that step is not undone, the ones before it are.
    expect(readState(c).steps['cutover.endpoint']).toMatchObject({ status: 'done' })
    expect(readState(c).steps['cutover.start-target']).toMatchObject({ status: 'pending' })

    const again = await cutover(c, ['rollback', 'plan.yaml', '--yes'])
    expect(again.code).toBe(0)
    expect(readState(c).steps['cutover.endpoint']).toMatchObject({ status: 'pending' })
  })
})

describe('Ctrl-C on a terminal (the listr2 renderer)', () => {
  it('apply stops the step, journals interrupted, releases the lock and exits 130: listr2 does not exit 127 first', async () => {
    const c = await newCase()
    // The terminal renderer shows stderr only at the end: the pause says so with a file too.
    const flag = join(c.labDir, PAUSED_FLAG)
    const r = await onTerminal(c, ['apply', 'plan.yaml'], /Type yes to continue: /, 'yes\r', { CUTOVER_LAB_FAULTS: 'pause:Export-CsPersistentChatData@0.5' }, [[() => existsSync(flag), '\x03']])
    expect(r.code).toBe(130)
    expect(r.screen).toContain('cutover: interrupted during cutover.export.gc2010')
    expect(noLock(c)).toBe(true)
    expect(readJournal(c).find((e) => e.event === 'interrupted')).toMatchObject({ step: 'cutover.export.gc2010' })
  })
})

describe('rollback on a terminal', () => {
  it('unanswered (Ctrl-D at the prompt) rolls back nothing and changes no file', async () => {
    const c = await newCase()
    expect((await cutover(c, ['apply', 'plan.yaml', '--yes', '--quiet', '--until', 'cutover.verify'])).code).toBe(3)
    const before = snapshot(c)
    const r = await onTerminal(c, ['rollback', 'plan.yaml'], /Type yes to continue: /, '\x04')
    expect(r.screen).toContain('cutover rollback will undo, newest first:')
    expect(r.screen).toContain('cutover.import.gc2010')
    expect(r.screen).toContain('cutover: nothing was done')
    expect(r.code).toBe(2)
    expect(snapshot(c)).toEqual(before)
  })

  it('answered yes, rolls back (so the unanswered case above is not blind)', async () => {
    const c = await newCase()
    expect((await cutover(c, ['apply', 'plan.yaml', '--yes', '--quiet', '--until', 'cutover.verify'])).code).toBe(3)
    const r = await onTerminal(c, ['rollback', 'plan.yaml'], /Type yes to continue: /, 'yes\r')
    expect(r.code).toBe(0)
    expect(r.screen).toMatch(/rolled back \d+ step\(s\)/)
    expect(readState(c).steps['cutover.import.gc2010']).toMatchObject({ status: 'pending' })
  })
})

describe('guards read the recorded state', () => {
  it('rollback after decommissioning is refused even when the plan no longer lists the decommission step; apply names the step that left the plan', async () => {
    const c = await newCase()
    expect((await cutover(c, ['apply', 'plan.yaml', '--yes', '--quiet'])).code).toBe(0)
    const plan = readFileSync(c.planFile, 'utf8')
    const edited = plan.replace(/^decommission:\n(?:[ \t]+.*\n)+/m, 'decommission: []\n')
    expect(edited).not.toBe(plan)
    writeFileSync(c.planFile, edited)
    const before = snapshot(c)

    const rollback = await cutover(c, ['rollback', 'plan.yaml', '--yes'])
    expect(rollback.code).toBe(1)
    expect(lines(rollback.stderr)[0]).toMatch(/^cutover: error: decommissioning has begun \(decommission\.1\.remove-trusted-application\)/)
    const apply = await cutover(c, ['apply', 'plan.yaml', '--yes', '--quiet'])
    expect(apply.code).toBe(1)
    expect(lines(apply.stderr)[0]).toMatch(/^cutover: error: the state records steps this plan no longer has: decommission\.1\.remove-trusted-application \(done\)/)
    expect(snapshot(c)).toEqual(before)
  })

  it('plan --inventory on a lab plan whose lab does not exist creates nothing', async () => {
    const c = await newCase()
    rmSync(c.labDir, { recursive: true, force: true })
    const r = await cutover(c, ['plan', 'plan.yaml', '--inventory'])
    expect(r.code).toBe(1)
    expect(lines(r.stderr)[0]).toMatch(/lab emulator.*(cutover lab init|apply)/)
    expect(existsSync(c.labDir)).toBe(false)
    expect(snapshot(c)).toEqual({ state: undefined, backup: undefined, journal: undefined, lock: undefined, world: undefined })
  })
})

describe('apply --debug', () => {
  it('a failed step shows the stack of what it threw, after the one-line error; without --debug, no stack', async () => {
    const c = await newCase()
    const env = { CUTOVER_LAB_FAULTS: 'fail:Export-CsPersistentChatData@1' }
    const plain = await cutover(c, ['apply', 'plan.yaml', '--yes', '--quiet'], env)
    expect(plain.code).toBe(1)
    expect(lines(plain.stderr)[0]).toMatch(/^cutover: error: cutover\.export\.gc2010 failed: lab emulator: Export-CsPersistentChatData : injected failure/)
    expect(plain.stderr).not.toMatch(/\n\s+at /)
    const c2 = await newCase()
    const debug = await cutover(c2, ['apply', 'plan.yaml', '--yes', '--quiet', '--debug'], env)
    expect(debug.code).toBe(1)
    expect(lines(debug.stderr)[0]).toBe(lines(plain.stderr)[0])
    expect(debug.stderr).toMatch(/LabCommandError: lab emulator: Export-CsPersistentChatData : injected failure[^\n]*\n\s+at /)
  })
})
