/**
 * The check the e2e and crash projects run first (test/setup/current-build.ts), on a temp tree
 * laid out like the repository: current after a build, stale after any input changes.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { staleBuild } from '../helpers/build-current.js'
import { requireCurrentBuild } from '../setup/current-build.js'

const INPUTS = ['runner/cli/main.ts', 'runner/steps/export.ts', 'templates/export.ps1.hbs', 'migration.schema.json']
const OUTPUTS = ['dist/runner/cli/main.js', 'dist/runner/steps/export.js', 'dist/plan-validator.cjs', 'dist/bundle/cutover.cjs']
const EDITED = new Date('2026-12-01T09:00:00Z')
const BUILT = new Date('2026-12-01T09:05:00Z')
const LATER = new Date('2026-12-01T09:10:00Z')

function put(root: string, file: string, at: Date): void {
  const full = join(root, file)
  mkdirSync(dirname(full), { recursive: true })
  writeFileSync(full, file)
  utimesSync(full, at, at)
}

/** A tree whose sources were edited, then built. */
function builtTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'cutover-build-'))
  for (const f of INPUTS) put(root, f, EDITED)
  for (const f of OUTPUTS) put(root, f, BUILT)
  return root
}

describe('the current-build check of the e2e and crash projects', () => {
  it('passes right after a build', () => {
    const root = builtTree()
    expect(staleBuild(root)).toBeUndefined()
    expect(() => requireCurrentBuild(root)).not.toThrow()
  })

  it('fails, naming the file, once a source, a template or the schema is edited after the build', () => {
    for (const input of INPUTS) {
      const root = builtTree()
      utimesSync(join(root, input), LATER, LATER)
      expect(staleBuild(root), input).toBe(`dist/ is older than ${input}: run npm run build`)
    }
  })

  it('fails when a source has no output yet (a new file) or there is no dist/ at all', () => {
    const root = builtTree()
    put(root, 'runner/steps/new-kind.ts', EDITED)
    expect(staleBuild(root)).toBe('dist/ is not built from the current sources (missing dist/runner/steps/new-kind.js): run npm run build')
    rmSync(join(root, 'dist'), { recursive: true })
    expect(staleBuild(root)).toMatch(/^dist\/ is not built from the current sources \(missing dist\/runner\/cli\/main\.js and 4 more\): run npm run build$/)
  })

  it('fails when the modules were compiled again but not bundled (tsc alone), or the bundle is missing', () => {
    const root = builtTree()
    utimesSync(join(root, 'runner/cli/main.ts'), LATER, LATER)
    for (const f of OUTPUTS.filter((o) => o !== 'dist/bundle/cutover.cjs')) utimesSync(join(root, f), LATER, LATER)
    expect(staleBuild(root)).toBe('dist/ is older than runner/cli/main.ts: run npm run build')
    rmSync(join(root, 'dist', 'bundle'), { recursive: true })
    expect(staleBuild(root)).toBe('dist/ is not built from the current sources (missing dist/bundle/cutover.cjs): run npm run build')
  })

  it('throws one line, without a stack trace, that says to run npm run build', () => {
    const root = builtTree()
    utimesSync(join(root, 'runner/steps/export.ts'), LATER, LATER)
    let thrown: unknown
    try {
      requireCurrentBuild(root)
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(Error)
    const e = thrown as Error
    expect(e.message).toBe('cutover tests: dist/ is older than runner/steps/export.ts: run npm run build')
    expect(e.stack).toBe(e.message)
  })
})
