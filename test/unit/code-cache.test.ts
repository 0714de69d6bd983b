/**
 * bin/boot.js loads the bundle with the V8 code cache the build wrote (issue 14). Each case runs in
 * a fresh Node process, as bin/cutover.js does: a cache only means something to the process that
 * compiles the script.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/cli.js'

const BOOT = join(ROOT, 'bin', 'boot.js')
const PLAN = join(ROOT, 'plans', 'contoso-lync2010.yaml')

interface Loaded {
  readonly rejected: boolean
  readonly code: number
  readonly lines: readonly string[]
}

/** Loads the bundle with `cache` in a new process and validates the example plan with it. */
function validateWith(cache: string | undefined, nodeArgs: readonly string[] = []): Loaded {
  const script = `
    const { loadBundle } = require(${JSON.stringify(BOOT)})
    const { cli, cacheRejected } = loadBundle(${cache === undefined ? 'undefined' : JSON.stringify(cache)})
    const lines = []
    cli.main(['validate', ${JSON.stringify(PLAN)}], { stdout: (l) => lines.push(l), stderr: (l) => lines.push(l) })
      .then((code) => console.log(JSON.stringify({ rejected: cacheRejected, code, lines })))`
  const r = spawnSync(process.execPath, [...nodeArgs, '-e', script], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(r.stderr)
  return JSON.parse(r.stdout) as Loaded
}

describe('the code cache of the bundle', () => {
  const valid = { code: 0, lines: [`${PLAN}: valid`] }

  it('is written by the build and accepted by this Node: the bundle is not compiled again', () => {
    const cache = join(ROOT, 'dist', 'bundle', 'cutover.cache')
    expect(statSync(cache).size).toBeGreaterThan(100_000)
    expect(validateWith(cache)).toEqual({ rejected: false, ...valid })
  })

  it('that does not match (another Node, a damaged file) is refused by V8, and the CLI works the same', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-cache-'))
    const damaged = join(dir, 'cutover.cache')
    writeFileSync(damaged, Buffer.alloc(4096, 7))
    expect(validateWith(damaged)).toEqual({ rejected: true, ...valid })
  })

  it('that is missing, or not asked for, leaves the CLI as it is', () => {
    expect(validateWith(join(mkdtempSync(join(tmpdir(), 'cutover-cache-')), 'none.cache'))).toEqual({ rejected: false, ...valid })
    expect(validateWith(undefined)).toEqual({ rejected: false, ...valid })
  })

  it('is not used under --enable-source-maps, so stack traces name the .ts sources', () => {
    const script = `
      const { loadCli } = require(${JSON.stringify(BOOT)})
      loadCli().main(['validate', ${JSON.stringify(PLAN)}, '--debug'], { stdout: () => { throw new Error('stdout closed') }, stderr: (l) => console.log(l) })`
    const r = spawnSync(process.execPath, ['--enable-source-maps', '-e', script], { encoding: 'utf8' })
    expect(r.stdout).toContain('cutover: error: stdout closed')
    expect(r.stdout).toMatch(/runner[\\/]cli[\\/]commands[\\/]validate\.ts:\d+/)
  })
})
