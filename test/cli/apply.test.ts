import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { BIN, ROOT, runCli } from '../helpers/cli.js'
import { cutover, dumpStore, filesOf, jsonEvents, lines, newCase, readJournal, readState, readWorld, snapshot, statusJson } from '../helpers/case-files.js'
import { outputsOf } from '../../runner/state/records.js'

// The lab plan's steps, in order (compile of plans/lab.yaml).
const LAB_STEPS = [
  'preflight.inventory.gc2010', 'preflight.readiness', 'preflight.target', 'preflight.lint', 'prepare.workdir',
  'cutover.stop-legacy.gc2010', 'cutover.backup-legacy.gc2010', 'cutover.inventory.gc2010', 'cutover.export.gc2010',
  'cutover.stop-target', 'cutover.backup-target.gc2010', 'cutover.import-whatif.gc2010', 'cutover.import.gc2010',
  'cutover.filestore.gc2010', 'cutover.lookup-account', 'cutover.endpoint', 'cutover.start-target', 'cutover.mappings', 'cutover.verify',
  'decommission.1.remove-trusted-application', 'post.enable-clients', 'post.report',
]

describe('cutover apply on the lab emulator (child process)', () => {
  it('migrates the whole lab: exit 0, every step done, a report naming the lab emulator, verification recorded; a second apply runs nothing', async () => {
    const c = await newCase()
    const f = filesOf(c)
    const r = await cutover(c, ['apply', 'plan.yaml', '--yes'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`cutover: lab is done; report: ${f.report} (and report.html)`)
    expect(readFileSync(f.report.replace(/\.md$/, '.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/)
    // The terminal shows warnings only while their step runs: the summary says how many and where.
    const warned = /cutover: (\d+) warning\(s\) recorded \(Import -WhatIf and others\); they are listed in (.*)$/m.exec(r.stdout)
    expect(Number(warned?.[1])).toBeGreaterThan(0)
    expect(warned?.[2]).toBe(f.report)

    const status = await statusJson(c)
    expect(status.plan).toBe('lab')
    expect(status.lock).toBeNull()
    expect(status.steps.map((s) => s.id)).toEqual(LAB_STEPS)
    for (const s of status.steps) expect({ id: s.id, status: s.status, error: s.error }).toEqual({ id: s.id, status: 'done', error: null })

    const report = readFileSync(f.report, 'utf8')
    expect(report).toContain('lab emulator')
    expect(report).toContain('## Warnings')
    expect(report).toMatch(/principal not provisioned/)
    expect(report).toContain('# cutover report: lab')

    // Verification: its outputs are in the state, and its artifact is the file they name.
    const state = readState(c)
    const verify = outputsOf(state.steps['cutover.verify']) ?? {}
    expect(verify).toMatchObject({ differences: 0, artifact: 'verify/cutover.verify.json' })
    expect(verify.rooms).toBeGreaterThan(0)
    expect(verify.messages).toBeGreaterThan(0)
    const artifact = readFileSync(join(f.artifacts, 'verify', 'cutover.verify.json'))
    expect(createHash('sha256').update(artifact).digest('hex')).toBe(verify.sha256)
    const verified = JSON.parse(artifact.toString('utf8')) as { expected: Record<string, number>; actual: Record<string, number>; differences: unknown[] }
    expect(verified.differences).toEqual([])
    expect(verified.actual).toMatchObject(verified.expected)
    expect(verified.expected).toMatchObject({ rooms: verify.rooms, messages: verify.messages, categories: verify.categories })

    // The emulated deployment is in its migrated shape.
    const world = readWorld(c)
    expect(world.servers.find((s) => s.fqdn === 'gc01.lab.cutover.test')?.services.every((s) => s.status === 'Stopped')).toBe(true)
    expect(world.servers.find((s) => s.fqdn === 'pc01.lab.cutover.test')?.services.every((s) => s.status === 'Running')).toBe(true)
    expect(world.endpoints.map((e) => e.sipAddress)).toEqual(['sip:ocschat@lab.cutover.test'])
    expect(world.users.find((u) => u.sipAddress === 'sip:ocschat@lab.cutover.test')?.enabled).toBe(false)
    expect(world.policies.find((p) => p.identity === 'Global')?.enablePersistentChat).toBe(true)
    expect(world.trustedApplicationPools).toEqual([])

    // Again: nothing runs, nothing changes in the lab, the journal has no new step-start.
    const journalBefore = readJournal(c).length
    const storeBefore = dumpStore(join(c.labDir, 'pchat.sqlite'))
    const worldBefore = snapshot(c).world
    const again = await cutover(c, ['apply', 'plan.yaml', '--yes', '--json'])
    expect(again.stderr).toBe('')
    expect(again.code).toBe(0)
    const ev = jsonEvents(again.stdout)
    expect(ev.filter((e) => e.type === 'step-skip').map((e) => e.id)).toEqual(LAB_STEPS)
    expect(ev.filter((e) => e.type === 'step-start')).toEqual([])
    expect(ev.at(-1)).toMatchObject({ type: 'run-end', outcome: 'done' })
    expect(readJournal(c).slice(journalBefore).map((e) => e.event)).toEqual(['apply-start', 'apply-end'])
    expect(snapshot(c).world).toBe(worldBefore)
    expect(dumpStore(join(c.labDir, 'pchat.sqlite'))).toEqual(storeBefore)
    const after = readState(c)
    for (const id of LAB_STEPS) expect(after.steps[id]).toEqual(state.steps[id])
  })

  it('without --yes and without a terminal: exit 2, nothing done', async () => {
    const c = await newCase()
    const before = snapshot(c)
    const r = await cutover(c, ['apply', 'plan.yaml'])
    expect(r.code).toBe(2)
    expect(lines(r.stderr)[0]).toBe('cutover: error: apply: no terminal to ask for confirmation; pass --yes to run the plan')
    expect(r.stdout).toBe('')
    expect(snapshot(c)).toEqual(before)
    expect(existsSync(filesOf(c).state)).toBe(false)
    expect(existsSync(filesOf(c).journal)).toBe(false)
  })

  it('an unknown --until step: exit 2 naming it, nothing done', async () => {
    const c = await newCase()
    const before = snapshot(c)
    const r = await cutover(c, ['apply', 'plan.yaml', '--yes', '--until', 'cutover.exprot.gc2010'])
    expect(r.code).toBe(2)
    expect(lines(r.stderr)[0]).toMatch(/^cutover: error: apply: --until cutover\.exprot\.gc2010 is not a step of this plan/)
    expect(snapshot(c)).toEqual(before)
  })

  it('an invalid plan: exit 1 with its findings on stderr, and no .cutover folder is created', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-invalid-'))
    try {
      const text = readFileSync(join(ROOT, 'plans', 'lab.yaml'), 'utf8').replace('timezone: America/New_York', 'timezone: America/New_Yrok')
      writeFileSync(join(dir, 'plan.yaml'), text)
      const r = await runCli(['apply', 'plan.yaml', '--yes'], { cwd: dir })
      expect(r.code).toBe(1)
      const err = lines(r.stderr)
      expect(err[0]).toMatch(/^plan\.yaml:\d+:\d+: error: .*America\/New_Yrok.* \[unknown-timezone\]$/)
      expect(err.at(-1)).toMatch(/^cutover: error: plan\.yaml is not valid \(1 error\)/)
      expect(r.stdout).toBe('')
      expect(readdirSync(dir)).toEqual(['plan.yaml'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('cutover apply --json into a pipe that closes (apply --json | head -1)', () => {
  it('does not die mid-step: no step is left running and no stale lock is left behind', async () => {
    const c = await newCase()
    const child = spawn(process.execPath, [BIN, 'apply', 'plan.yaml', '--yes', '--json'], { cwd: c.dir, env: { ...process.env, NO_COLOR: '1', CUTOVER_CLOCK: '', CUTOVER_LAB_FAULTS: '' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    // Read the first event, then close the pipe, as `head -1` does.
    child.stdout.once('data', () => child.stdout.destroy())
    await once(child, 'close')
    // BUG: the next write fails with EPIPE, an unhandled 'error' event kills the process with a
    // stack trace while preflight.inventory.gc2010 is `running`, and the lock stays behind.
    expect(stderr).not.toContain('Unhandled')
    const running = Object.values(readState(c).steps).filter((s) => s.status === 'running').map((s) => s.id)
    expect(running).toEqual([])
    expect(existsSync(filesOf(c).lock)).toBe(false)
  })
})

describe('secrets in a lab plan', () => {
  const dirs: string[] = []
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

  // The lab emulator ignores `connection` (it reads its SQLite files), so this only proves the
  // value never reaches a file; the runner itself never resolves ${env:...} yet (see the report).
  it('a ${env:NAME} connection never writes the value anywhere under .cutover', async () => {
    const secret = 'S3cret-Lab-Passw0rd'
    const c = await newCase({ edit: (t) => t.replace('    lookupAccount: sip:ocschat@lab.cutover.test', '    connection: ${env:LAB_SECRET}\n    lookupAccount: sip:ocschat@lab.cutover.test') })
    dirs.push(c.dir)
    const r = await cutover(c, ['apply', 'plan.yaml', '--yes', '--until', 'cutover.export.gc2010'], { LAB_SECRET: `Server=sql01;Password=${secret}` })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(3)
    const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]))
    const files = walk(filesOf(c).dir)
    expect(files.length).toBeGreaterThan(5)
    for (const file of files) expect(readFileSync(file).includes(secret), file).toBe(false)
    expect(r.stdout).not.toContain(secret)
  })
})
