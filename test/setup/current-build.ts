/**
 * Global setup of the projects that run the built CLI (e2e, crash): refuses to start on a stale
 * dist/, in one line, instead of testing the code as it was at the last build.
 */
import { rmSync } from 'node:fs'
import { staleBuild } from '../helpers/build-current.js'
import { ROOT } from '../helpers/cli.js'

/** Throws, with one line saying to run `npm run build`, when dist/ under `root` is stale. */
export function requireCurrentBuild(root: string): void {
  const stale = staleBuild(root)
  if (stale === undefined) return
  const e = new Error(`cutover tests: ${stale}`)
  // The line says it all: a stack trace into this file would only hide it.
  e.stack = e.message
  throw e
}

export default function setup(): void {
  try {
    requireCurrentBuild(ROOT)
  } catch (e) {
    // Thrown from a global setup, vitest would print "No test files found" around the line.
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`)
    // Nothing runs after this exit, so the run's temp folder (test/setup/temp-root.ts) goes now.
    const tmp = process.env.CUTOVER_TESTS_TMP
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true })
    process.exit(1)
  }
}
