/**
 * `plan --against REF` reading git (runner/cli/against-ref.ts), in-process on temporary
 * repositories: one clear error each for git missing, no repository and an unknown ref; a plan
 * the commit does not have is every step new; a plan there that does not validate says why.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { againstRef } from '../../runner/cli/against-ref.js'
import { compile } from '../../runner/compile/compile.js'
import { UsageError } from '../../runner/core/errors.js'
import { platformOf } from '../../runner/runtimes/index.js'
import { labPlan } from '../helpers/engine-fakes.js'
import { ROOT } from '../helpers/cli.js'

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'pipe' }).toString()
const LAB = readFileSync(join(ROOT, 'plans', 'lab.yaml'), 'utf8')
const steps = compile(labPlan(), platformOf(labPlan()))

/** A repository whose first commit has only a README, then `plan.yaml` as `text` (if given). */
function repo(text?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-ref-'))
  git(dir, 'init', '-q', '-b', 'main')
  writeFileSync(join(dir, 'README'), 'plans\n')
  git(dir, 'add', 'README')
  git(dir, 'commit', '-q', '-m', 'readme')
  git(dir, 'tag', 'before-plan')
  if (text !== undefined) {
    writeFileSync(join(dir, 'plan.yaml'), text)
    git(dir, 'add', 'plan.yaml')
    git(dir, 'commit', '-q', '-m', 'plan')
  }
  writeFileSync(join(dir, 'plan.yaml'), LAB)
  return dir
}

const PATH = process.env.PATH
afterEach(() => { process.env.PATH = PATH })

describe('plan --against REF: reading the plan at a git ref', () => {
  it('compares with the plan at the ref: nothing changed', async () => {
    const dir = repo(LAB)
    const a = await againstRef(join(dir, 'plan.yaml'), 'main', steps)
    expect(a).toEqual({ ref: 'main', commit: git(dir, 'rev-parse', 'main').trim(), path: 'plan.yaml', planAtRef: 'found', steps: [], unchanged: steps.length })
  })

  it('a plan the commit does not have: every step is new, not an error', async () => {
    const dir = repo(LAB)
    const a = await againstRef(join(dir, 'plan.yaml'), 'before-plan', steps)
    expect(a.planAtRef).toBe('absent')
    expect(a.steps.map((s) => [s.id, s.change])).toEqual(steps.map((s) => [s.id, 'added']))
  })

  it('a plan at the ref that does not validate: its first error, no steps', async () => {
    const dir = repo(LAB.replace('version: 1', 'version: 7'))
    const a = await againstRef(join(dir, 'plan.yaml'), 'main', steps)
    expect(a.planAtRef).toBe('invalid')
    expect(a.invalid).toMatch(/^main:plan\.yaml:\d+:\d+: error: .*version/)
    expect(a.steps).toEqual([])
  })

  it('one clear UsageError each: an unknown ref, a ref that looks like an option, no repository, no git', async () => {
    const dir = repo(LAB)
    const file = join(dir, 'plan.yaml')
    await expect(againstRef(file, 'origin/nope', steps)).rejects.toThrow(new UsageError('plan --against origin/nope: git knows no commit origin/nope here (fetch it first; in GitHub Actions, actions/checkout with fetch-depth: 0)'))
    await expect(againstRef(file, '--output=x', steps)).rejects.toThrow(/^plan --against --output=x: not a git ref/)
    const loose = mkdtempSync(join(tmpdir(), 'cutover-norepo-'))
    writeFileSync(join(loose, 'plan.yaml'), LAB)
    await expect(againstRef(join(loose, 'plan.yaml'), 'main', steps)).rejects.toThrow(`plan --against: ${join(loose, 'plan.yaml')} is not in a git repository`)
    process.env.PATH = join(loose, 'no-such-dir')
    await expect(againstRef(file, 'main', steps)).rejects.toThrow('plan --against: git is not installed here (or not on the PATH); it reads the plan as it is at the ref')
  })
})
