/**
 * --plan-sha is checked against git, not recorded as fact (issue 13, item 5): a commit that
 * exists and holds the plan file's bytes is git's; anything else is the operator's word.
 */
import { execFileSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { planCommit } from '../../runner/cli/plan-commit.js'

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: dir, encoding: 'utf8' }).trim()

function repo(): { dir: string; file: string; head: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-plansha-'))
  const file = join(dir, 'plan.yaml')
  writeFileSync(file, 'version: 1\nname: lab\n')
  git(dir, 'init', '-q')
  git(dir, 'add', 'plan.yaml')
  git(dir, 'commit', '-q', '-m', 'plan')
  return { dir, file, head: git(dir, 'rev-parse', 'HEAD') }
}

describe('planCommit with --plan-sha', () => {
  it('is git\'s when the commit exists and holds the file\'s bytes (an abbreviation is expanded)', async () => {
    const r = repo()
    await expect(planCommit(r.file, r.head.slice(0, 10).toUpperCase())).resolves.toEqual({ commit: r.head, source: 'git' })
  })

  it('is the operator\'s word when the file differs from that commit', async () => {
    const r = repo()
    appendFileSync(r.file, '# edited after the commit\n')
    await expect(planCommit(r.file, r.head)).resolves.toEqual({ commit: r.head, source: 'operator', unconfirmed: `plan.yaml differs from its version in commit ${r.head}` })
  })

  it('is the operator\'s word when git knows no such commit, or the plan is not in git', async () => {
    const r = repo()
    await expect(planCommit(r.file, 'abcdef1234567')).resolves.toMatchObject({ commit: 'abcdef1234567', source: 'operator', unconfirmed: 'git knows no commit abcdef1234567 here' })
    const loose = join(mkdtempSync(join(tmpdir(), 'cutover-plansha-')), 'plan.yaml')
    writeFileSync(loose, 'version: 1\n')
    await expect(planCommit(loose, 'abcdef1234567')).resolves.toMatchObject({ commit: 'abcdef1234567', source: 'operator' })
  })
})
