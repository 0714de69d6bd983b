import { execFile } from 'node:child_process'

/** What one git command gave: its exit code (-1 when it did not run to an exit: git missing,
 * killed by the timeout), whether git is missing, and its output as bytes. */
export interface GitResult {
  readonly code: number
  readonly missing: boolean
  readonly stdout: Buffer
  readonly stderr: string
}

/** Runs git with `args` in `cwd`, without a shell (execFile): a ref or path is one argument,
 * never parsed by a shell. Never throws; the caller reads the result. */
export function runGit(cwd: string, args: readonly string[]): Promise<GitResult> {
  return new Promise((done) => {
    execFile('git', [...args], { cwd, timeout: 10_000, windowsHide: true, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const errno = error === null ? undefined : (error as NodeJS.ErrnoException & { code?: unknown }).code
      done({
        code: error === null ? 0 : typeof errno === 'number' ? errno : -1,
        missing: errno === 'ENOENT',
        stdout: Buffer.isBuffer(stdout) ? stdout : Buffer.from(String(stdout)),
        stderr: Buffer.isBuffer(stderr) ? stderr.toString('utf8') : String(stderr),
      })
    })
  })
}
