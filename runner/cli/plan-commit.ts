import { execFile } from 'node:child_process'
import { basename, dirname, resolve } from 'node:path'
import { UsageError } from '../core/errors.js'

/** A commit id as git prints it, full or abbreviated (SHA-1 or SHA-256 repositories). */
const COMMIT = /^[0-9a-f]{7,64}$/

function git(cwd: string, args: readonly string[]): Promise<{ readonly code: number; readonly stdout: string }> {
  return new Promise((done) => {
    execFile('git', [...args], { cwd, timeout: 10_000, windowsHide: true }, (error, stdout) => {
      const code = error === null ? 0 : typeof (error as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? Number(error.code) : -1
      done({ code, stdout: String(stdout) })
    })
  })
}

/**
 * The commit the plan file comes from, so that the state and the report say which committed plan
 * ran: `explicit` (--plan-sha) when given, else the last commit that touched the file, provided
 * the file has no uncommitted change. Undefined when the file is modified, not in git, or git is
 * not installed: a plan that is not a committed version must not be reported as one.
 */
export async function planCommit(file: string, explicit: string | undefined): Promise<string | undefined> {
  if (explicit !== undefined) {
    const sha = explicit.trim().toLowerCase()
    if (!COMMIT.test(sha)) throw new UsageError(`--plan-sha ${explicit}: not a git commit id (7 to 64 hexadecimal digits)`)
    return sha
  }
  const dir = dirname(resolve(file))
  const name = basename(file)
  const last = await git(dir, ['log', '-1', '--format=%H', '--', name])
  const sha = last.stdout.trim()
  if (last.code !== 0 || !COMMIT.test(sha)) return undefined
  // Exit 0: the working file equals the committed one (staged changes count as changes).
  const diff = await git(dir, ['diff', '--quiet', 'HEAD', '--', name])
  return diff.code === 0 ? sha : undefined
}
