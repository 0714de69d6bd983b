/** Where commands print; the CLI passes the process streams, tests may pass collectors. */
export interface Output {
  stdout(line: string): void
  stderr(line: string): void
}

let stdoutClosed = false

/** `cutover apply --json | head -1` closes stdout early: the reader is gone, the run is not.
 * Without this, the EPIPE error would kill the process in the middle of a step. */
export function guardStdout(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') stdoutClosed = true
    else throw e
  })
}

export const processOutput: Output = {
  stdout: (line) => {
    if (!stdoutClosed) process.stdout.write(line + '\n')
  },
  stderr: (line) => process.stderr.write(line + '\n'),
}
