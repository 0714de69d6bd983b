/**
 * A step flagged changed since it ran says what changed (issue 15, item 2): its inputs against
 * the ones that ran, read from the committed plan the state names; and, when the plan that ran
 * was not committed, that they cannot be known.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { labCase } from '../helpers/lab.js'

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'pipe' }).toString()

interface Json { steps: { id: string; changed: boolean; changedInputs?: { changes?: { path: string; ran?: string; now?: string }[]; commit?: string; unknown?: string } }[] }

describe('what changed since a step ran', () => {
  it('shows the changed inputs against the committed plan that ran, in every format; says when they are unknown', async () => {
    const c = await labCase()
    writeFileSync(`${c.dir}/.gitignore`, '.cutover/\n')
    git(c.dir, 'init', '-q')
    git(c.dir, 'add', 'plan.yaml', '.gitignore')
    git(c.dir, 'commit', '-q', '-m', 'plan')
    expect((await runCli(['apply', 'plan.yaml', '--yes', '--quiet', '--until', 'prepare.workdir'], { cwd: c.dir })).code).toBe(3)
    writeFileSync(c.planFile, readFileSync(c.planFile, 'utf8').replace('cutoff: 2019-01-01', 'cutoff: 2020-06-01'))

    const json = JSON.parse((await runCli(['plan', 'plan.yaml', '--format', 'json'], { cwd: c.dir })).stdout) as Json
    const inventory = json.steps.find((s) => s.id === 'preflight.inventory.gc2010')
    expect(inventory?.changed).toBe(true)
    expect(inventory?.changedInputs?.changes).toEqual([{ path: 'cutoff', ran: '"2019-01-01T05:00:00Z"', now: '"2020-06-01T04:00:00Z"' }])
    // Steps that have not run, or did not change, have none.
    expect(json.steps.filter((s) => s.changedInputs !== undefined).map((s) => s.id)).toEqual(json.steps.filter((s) => s.changed).map((s) => s.id))
    const text = (await runCli(['plan', 'plan.yaml'], { cwd: c.dir })).stdout
    expect(text).toMatch(/^\[done\] preflight\.inventory\.gc2010 .*CHANGED since it ran.*\n {4}changed since it ran \(commit [0-9a-f]{12} of the plan\):\n {6}cutoff: "2019-01-01T05:00:00Z" -> "2020-06-01T04:00:00Z"$/m)
    const md = (await runCli(['plan', 'plan.yaml', '--format', 'markdown'], { cwd: c.dir })).stdout
    expect(md).toMatch(/### What changed since the steps ran\n\n- `preflight\.inventory\.gc2010` \(against commit [0-9a-f]{12}\):\n {2}- cutoff: "2019-01-01T05:00:00Z" → "2020-06-01T04:00:00Z"/)

    // A run from an uncommitted plan: the inputs that ran are not known, and the preview says so.
    const d = await labCase()
    expect((await runCli(['apply', 'plan.yaml', '--yes', '--quiet', '--until', 'prepare.workdir'], { cwd: d.dir })).code).toBe(3)
    writeFileSync(d.planFile, readFileSync(d.planFile, 'utf8').replace('cutoff: 2019-01-01', 'cutoff: 2020-06-01'))
    const unknown = JSON.parse((await runCli(['plan', 'plan.yaml', '--format', 'json'], { cwd: d.dir })).stdout) as Json
    expect(unknown.steps.find((s) => s.id === 'preflight.inventory.gc2010')?.changedInputs?.unknown).toMatch(/not a committed version, so its inputs are not known/)
  })
})
