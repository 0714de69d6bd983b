/**
 * `cutover plan <plan> --against REF` (issue 15, item 2): in a real git repository, a committed
 * plan whose mapping is then edited shows exactly the steps and the input that changed, in JSON
 * and in the Markdown a pull-request reviewer reads. The errors are in test/unit/against-ref.test.ts.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT, runCli } from '../helpers/cli.js'

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'pipe' }).toString()

interface Json { against: { ref: string; commit: string; path: string; planAtRef: string; unchanged: number; steps: { id: string; change: string; inputs?: { path: string; ran?: string; now?: string }[] }[] }; steps: unknown[] }

describe('cutover plan --against REF', () => {
  it('shows the steps and inputs a change makes against the committed plan, in JSON and Markdown', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'cutover-against-'))
    mkdirSync(join(repo, 'plans'))
    const file = join(repo, 'plans', 'lab.yaml')
    writeFileSync(file, readFileSync(join(ROOT, 'plans', 'lab.yaml'), 'utf8'))
    git(repo, 'init', '-q', '-b', 'main')
    git(repo, 'add', 'plans/lab.yaml')
    git(repo, 'commit', '-q', '-m', 'plan')
    writeFileSync(file, readFileSync(file, 'utf8').replace('rename: release-train,', 'rename: release-trains,'))

    // Run from the plan's folder: the path git is asked for is from the repository's root.
    const r = await runCli(['plan', 'lab.yaml', '--against', 'main', '--format', 'json'], { cwd: join(repo, 'plans') })
    expect(r.code, r.stderr).toBe(0)
    const { against, steps } = JSON.parse(r.stdout) as Json
    expect(against).toMatchObject({ ref: 'main', commit: git(repo, 'rev-parse', 'main').trim(), path: 'plans/lab.yaml', planAtRef: 'found', unchanged: steps.length - 2 })
    const rename = [{ path: 'rules.map[0].rename', ran: '"release-train"', now: '"release-trains"' }]
    expect(against.steps).toEqual([
      { id: 'cutover.mappings', title: expect.any(String), change: 'changed', inputs: rename },
      { id: 'cutover.verify', title: expect.any(String), change: 'changed', inputs: rename },
    ])

    const md = await runCli(['plan', file, '--against', 'main', '--format', 'markdown'])
    expect(md.code, md.stderr).toBe(0)
    expect(md.stdout).toMatch(/\n### Changes against main\n\nAgainst commit `[0-9a-f]{12}` \(plans\/lab\.yaml\): 2 changed, 0 new, 0 removed, \d+ the same\.\n\n- `cutover\.mappings` \(changed\): .+\n {2}- rules\.map\\\[0\\\]\.rename: "release-train" → "release-trains"\n- `cutover\.verify` \(changed\): .+\n {2}- rules\.map\\\[0\\\]\.rename: "release-train" → "release-trains"\n\n/)
  })
})
