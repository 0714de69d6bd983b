import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { ROOT, runCli } from '../helpers/cli.js'

interface Workflow { jobs: Record<string, { steps: { run?: string }[] }> }

/** The cutover command lines the example workflow runs, as argument vectors. */
function cutoverCommands(): string[][] {
  const wf = parse(readFileSync(join(ROOT, 'examples', 'github-actions-plan-review.yml'), 'utf8')) as Workflow
  const scripts = Object.values(wf.jobs).flatMap((j) => j.steps.map((s) => s.run ?? ''))
  return scripts.flatMap((s) => [...s.matchAll(/npx cutover ([^\n>]+)/g)].map((m) => (m[1] ?? '').trim().split(/\s+/)))
}

describe('the example CI workflow (examples/github-actions-plan-review.yml)', () => {
  it('uses cutover commands that exist, with options they accept, and they pass on the example plans', async () => {
    const commands = cutoverCommands()
    expect(commands.map((c) => c[0])).toEqual(['validate', 'plan', 'plan'])
    // The example plans committed in a repository of their own, as in the workflow's checkout;
    // the pull request's base ("$BASE") is that commit.
    const repo = mkdtempSync(join(tmpdir(), 'cutover-workflow-'))
    cpSync(join(ROOT, 'plans'), join(repo, 'plans'), { recursive: true, filter: (src) => !src.includes('.cutover') })
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, stdio: 'pipe' })
    git('init', '-q')
    git('add', 'plans')
    git('commit', '-q', '-m', 'plans')
    const plans = readdirSync(join(repo, 'plans')).filter((f) => f.endsWith('.yaml')).map((f) => join('plans', f))
    for (const args of commands) {
      // The shell expands plans/*.yaml, "$plan" and "$BASE"; run the same command line on the real files.
      const concrete = args.flatMap((a) => (a === 'plans/*.yaml' ? plans : a === '"$plan"' ? [plans[0] ?? ''] : a === '"$BASE"' ? ['HEAD'] : [a]))
      const r = await runCli(concrete, { cwd: repo })
      expect(r.code, concrete.join(' ')).toBe(0)
      // validate --format github prints annotations only, none for valid plans; plan prints the comment.
      if (args[0] === 'plan') expect(r.stdout).toMatch(/^<!-- cutover plan: [a-z0-9-]+ -->\n## cutover plan: `/)
      else expect(r.stdout).toBe('')
      // Both previews say what the pull request changes against its base.
      if (args[0] === 'plan') expect(args).toContain('--against')
      if (args[0] === 'plan') expect(r.stdout).toMatch(/\n### Changes against HEAD\n\nAgainst commit `[0-9a-f]{12}` \(plans\/[^)]+\.yaml\): no step changed \(\d+ the same\)\.\n/)
      if (args[0] === 'plan' && !args.includes('--scripts')) expect(r.stdout.length).toBeLessThan(60_000)
    }
  })

  it('posts one comment per plan and updates it: found by the first line of the preview, edited in place', () => {
    const text = readFileSync(join(ROOT, 'examples', 'github-actions-plan-review.yml'), 'utf8')
    const wf = parse(text) as Workflow
    const post = Object.values(wf.jobs).flatMap((j) => j.steps.map((s) => s.run ?? '')).find((r) => r.includes('issues/comments')) ?? ''
    expect(post).toContain('marker=$(head -n 1 "$file")')
    expect(post).toMatch(/select\(\.body \| startswith\(\\"\$marker\\"\)\)/)
    expect(post).toContain('gh api --method PATCH "repos/$REPO/issues/comments/$id" -F body=@"$file"')
    expect(post).toContain('gh api --method POST "repos/$REPO/issues/$PR/comments" -F body=@"$file"')
    // The full preview the comment refers to is attached as the cutover-preview artifact.
    expect(text).toMatch(/uses: actions\/upload-artifact@v4\n\s+with: \{ name: cutover-preview, path: previews\/full\/ \}/)
  })
})
