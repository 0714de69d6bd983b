import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { BIN, runCli } from '../helpers/cli.js'
import { labCase } from '../helpers/lab.js'

// util-linux `script` gives the child a pseudo-terminal, so listr2 picks its terminal renderer.
const SCRIPT = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p))
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g // eslint-disable-line no-control-regex

describe('rendering of apply', () => {
  it('without a terminal: plain lines, one ✔ per step, no cursor control', async () => {
    const c = await labCase()
    const r = await runCli(['apply', c.planFile, '--yes'])
    expect(r.code).toBe(0)
    expect(r.stdout).not.toMatch(ANSI)
    const status = JSON.parse((await runCli(['status', c.planFile, '--json'])).stdout) as { steps: { id: string }[] }
    for (const s of status.steps) expect(r.stdout.split('\n').filter((l) => l.startsWith(`✔ ${s.id}  `))).toHaveLength(1)
  })

  it.skipIf(SCRIPT === undefined)('on a terminal: listr2 redraws the task list in place and ends with every step ✔ (skipped without util-linux script)', async () => {
    const c = await labCase()
    const r = spawnSync(SCRIPT ?? '', ['-qec', `stty cols 160 rows 60; ${process.execPath} ${BIN} apply ${c.planFile} --yes`, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(ANSI)
    const plain = r.stdout.replace(ANSI, '')
    // The final frame: the whole list, every step ticked.
    const lastFrame = plain.slice(plain.lastIndexOf('preflight.inventory.gc2010') - 2)
    const status = JSON.parse((await runCli(['status', c.planFile, '--json'])).stdout) as { steps: { id: string }[] }
    for (const s of status.steps) expect(lastFrame).toContain(`✔ ${s.id}  `)
    expect(plain).toContain('cutover: lab is done')
  })

  it('--json prints one JSON event per line, run-start first and run-end last', async () => {
    const c = await labCase()
    const r = await runCli(['apply', c.planFile, '--yes', '--json'])
    expect(r.code).toBe(0)
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; id?: string })
    expect(events[0]?.type).toBe('run-start')
    expect(events.at(-1)).toMatchObject({ type: 'run-end', outcome: 'done' })
    expect(events.filter((e) => e.type === 'step-done')).toHaveLength(22)
    expect(events.some((e) => e.type === 'step-progress' && e.id === 'cutover.import.gc2010')).toBe(true)
  })
})
