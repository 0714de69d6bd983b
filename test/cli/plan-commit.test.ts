/**
 * The state records which committed plan ran: the commit git says the plan file is a clean copy
 * of, or the one --plan-sha names; nothing when the file has uncommitted changes.
 */
import { execFileSync } from 'node:child_process'
import { appendFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { labCase } from '../helpers/lab.js'

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: dir, encoding: 'utf8' }).trim()
const stateOf = (dir: string) => JSON.parse(readFileSync(join(dir, '.cutover', 'lab.state.json'), 'utf8')) as { plan: { hash: string; commit?: string; commitSource?: string } }
const journalOf = (dir: string) => readFileSync(join(dir, '.cutover', 'lab.journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string; detail?: { planCommit?: string | null } })

describe('the plan commit in the state', () => {
  it('is the commit of a clean committed plan, and is dropped once the file has uncommitted changes', async () => {
    const c = await labCase()
    git(c.dir, 'init', '-q')
    git(c.dir, 'add', 'plan.yaml')
    git(c.dir, 'commit', '-q', '-m', 'plan')
    const head = git(c.dir, 'rev-parse', 'HEAD')
    expect((await runCli(['apply', c.planFile, '--yes', '--quiet'])).code).toBe(0)
    expect(stateOf(c.dir).plan.commit).toBe(head)
    expect(journalOf(c.dir).find((e) => e.event === 'apply-start')?.detail?.planCommit).toBe(head)
    // The report says which committed plan ran.
    expect(readFileSync(join(c.dir, '.cutover', 'lab', 'report.md'), 'utf8')).toContain(`**Plan:** commit **${head.slice(0, 12)}** of the plan`)

    appendFileSync(c.planFile, '# a local edit\n')
    expect((await runCli(['apply', c.planFile, '--yes', '--quiet'])).code).toBe(0)
    expect(stateOf(c.dir).plan.commit).toBeUndefined()
    expect(journalOf(c.dir).filter((e) => e.event === 'apply-start').at(-1)?.detail?.planCommit).toBeNull()
    expect(readFileSync(join(c.dir, '.cutover', 'lab', 'report.md'), 'utf8')).toContain('**not a committed version**')
  })

  it('is what --plan-sha says (CI checkouts), and a malformed one is a usage error that runs nothing', async () => {
    const c = await labCase()
    const bad = await runCli(['apply', c.planFile, '--yes', '--quiet', '--plan-sha', 'not-a-sha'])
    expect(bad.code).toBe(2)
    expect(bad.stderr.split('\n')[0]).toBe('cutover: error: --plan-sha not-a-sha: not a git commit id (7 to 64 hexadecimal digits)')
    expect(() => readFileSync(join(c.dir, '.cutover', 'lab.state.json'))).toThrow()

    const stated = await runCli(['apply', c.planFile, '--yes', '--quiet', '--plan-sha', 'ABCDEF1234567'])
    expect(stated.code).toBe(0)
    // Not in git: recorded, but as the operator's word, and said so.
    expect(stated.stderr).toContain('--plan-sha abcdef1234567 is recorded as stated by the operator, not confirmed by git')
    expect(stateOf(c.dir).plan).toMatchObject({ commit: 'abcdef1234567', commitSource: 'operator' })
  })

  it('is in the report the report step writes, also when apply dies before rewriting it', async () => {
    const c = await labCase()
    const killed = await runCli(['apply', c.planFile, '--yes', '--quiet', '--plan-sha', '1234567abc'], { env: { CUTOVER_CRASH_AT: 'post.report:done' } })
    expect(killed.signal).toBe('SIGKILL')
    expect(readFileSync(join(c.dir, '.cutover', 'lab', 'report.md'), 'utf8')).toContain('**Plan:** commit **1234567abc** **as stated by the operator**')
  })

  it('is absent when the plan is not in git', async () => {
    const c = await labCase()
    expect((await runCli(['apply', c.planFile, '--yes', '--quiet'])).code).toBe(0)
    expect(stateOf(c.dir).plan.commit).toBeUndefined()
  })
})
