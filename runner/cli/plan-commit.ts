import { readFile } from 'node:fs/promises'
import { basename, dirname, resolve } from 'node:path'
import { UsageError } from '../core/errors.js'
import { runGit } from './git.js'

/** A commit id as git prints it, full or abbreviated (SHA-1 or SHA-256 repositories). */
const COMMIT = /^[0-9a-f]{7,64}$/

async function git(cwd: string, args: readonly string[]): Promise<{ readonly code: number; readonly stdout: string }> {
  const r = await runGit(cwd, args)
  return { code: r.code, stdout: r.stdout.toString('utf8') }
}

/** Which commit the plan file comes from, and how that is known: `git` checked it, or the
 * `operator` said so (--plan-sha) and git could not confirm it. */
export interface PlanCommit {
  readonly commit: string
  readonly source: 'git' | 'operator'
  /** Why git did not confirm a --plan-sha (absent when it did). */
  readonly unconfirmed?: string
}

/** Whether `sha` is a commit of the repository holding the plan whose version of the file has
 * exactly the bytes of `file`; the full commit id when it is, else why not. */
async function confirm(file: string, sha: string): Promise<{ readonly full: string } | { readonly why: string }> {
  const dir = dirname(resolve(file))
  const commit = await git(dir, ['rev-parse', '--verify', '--quiet', `${sha}^{commit}`])
  if (commit.code !== 0) return { why: commit.code === -1 ? 'git is not installed or the plan is not in a git repository' : `git knows no commit ${sha} here` }
  const full = commit.stdout.trim()
  const bytes = await runGit(dir, ['show', `${full}:./${basename(file)}`])
  if (bytes.code !== 0) return { why: `commit ${sha} has no ${basename(file)}` }
  const local = await readFile(file)
  return bytes.stdout.equals(local) ? { full } : { why: `${basename(file)} differs from its version in commit ${sha}` }
}

/**
 * The commit the plan file comes from, so that the state and the report say which committed plan
 * ran: `explicit` (--plan-sha) when given (checked against git: the commit exists and holds the
 * file's bytes; otherwise recorded as stated by the operator), else the last commit that touched the file, provided
 * the file has no uncommitted change. Undefined when the file is modified, not in git, or git is
 * not installed: a plan that is not a committed version must not be reported as one.
 */
export async function planCommit(file: string, explicit: string | undefined): Promise<PlanCommit | undefined> {
  if (explicit !== undefined) {
    const sha = explicit.trim().toLowerCase()
    if (!COMMIT.test(sha)) throw new UsageError(`--plan-sha ${explicit}: not a git commit id (7 to 64 hexadecimal digits)`)
    // Checked, not taken as fact: recorded as the operator's word when git cannot confirm it.
    const checked = await confirm(file, sha)
    return 'full' in checked ? { commit: checked.full, source: 'git' } : { commit: sha, source: 'operator', unconfirmed: checked.why }
  }
  const dir = dirname(resolve(file))
  const name = basename(file)
  const last = await git(dir, ['log', '-1', '--format=%H', '--', name])
  const sha = last.stdout.trim()
  if (last.code !== 0 || !COMMIT.test(sha)) return undefined
  // Exit 0: the working file equals the committed one (staged changes count as changes).
  const diff = await git(dir, ['diff', '--quiet', 'HEAD', '--', name])
  return diff.code === 0 ? { commit: sha, source: 'git' } : undefined
}
