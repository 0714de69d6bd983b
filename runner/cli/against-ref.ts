import { basename, dirname, resolve } from 'node:path'
import { stepChanges } from '../compile/step-changes.js'
import type { AgainstRef } from '../compile/step-changes.js'
import { UsageError } from '../core/errors.js'
import type { Step } from '../core/step.js'
import { runGit } from './git.js'
import { compilePlanText } from './compile-text.js'

/**
 * `cutover plan <plan> --against REF`: the plan as it is at the git ref REF (`git show
 * REF:<path from the repository's root>`, validated and compiled as this cutover compiles it)
 * against the plan file as it is, step by step. Git, a repository and the ref are required: each
 * missing one is a UsageError of one line. A plan the commit does not have (a pull request that
 * adds it) is not an error: every step is new, and the result says so. Reads git; writes nothing.
 */
export async function againstRef(file: string, ref: string, steps: readonly Step[]): Promise<AgainstRef> {
  // A ref that starts with '-' would reach git as an option.
  if (ref === '' || ref.startsWith('-')) throw new UsageError(`plan --against ${ref}: not a git ref (a branch, tag or commit, e.g. origin/main)`)
  const dir = dirname(resolve(file))
  const prefix = await runGit(dir, ['rev-parse', '--show-prefix'])
  if (prefix.missing) throw new UsageError('plan --against: git is not installed here (or not on the PATH); it reads the plan as it is at the ref')
  if (prefix.code !== 0) throw new UsageError(`plan --against: ${file} is not in a git repository`)
  const commit = await runGit(dir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])
  const full = commit.stdout.toString('utf8').trim()
  if (commit.code !== 0 || full === '') throw new UsageError(`plan --against ${ref}: git knows no commit ${ref} here (fetch it first; in GitHub Actions, actions/checkout with fetch-depth: 0)`)
  const path = `${prefix.stdout.toString('utf8').trim()}${basename(file)}`
  const base = { ref, commit: full, path }
  if ((await runGit(dir, ['cat-file', '-e', `${full}:${path}`])).code !== 0) {
    return { ...base, planAtRef: 'absent', steps: steps.map((s) => ({ id: s.id, title: s.title, change: 'added' })), unchanged: 0 }
  }
  const shown = await runGit(dir, ['show', `${full}:${path}`])
  if (shown.code !== 0) throw new UsageError(`plan --against ${ref}: git cannot show ${path} at ${full.slice(0, 12)}: ${shown.stderr.trim().split('\n')[0] ?? ''}`)
  const atRef = compilePlanText(shown.stdout.toString('utf8'), `${ref}:${path}`)
  if ('invalid' in atRef) return { ...base, planAtRef: 'invalid', invalid: atRef.invalid, steps: [], unchanged: 0 }
  const changes = stepChanges(atRef.steps, steps)
  return { ...base, planAtRef: 'found', steps: changes, unchanged: steps.length - changes.filter((c) => c.change !== 'removed').length }
}
