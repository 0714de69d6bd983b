/**
 * The vitest projects (vitest.config.ts) split the tests by what they run: a file that starts the
 * built CLI (or imports dist/) must be in e2e or crash, whose setup refuses a stale dist/; in unit
 * it would test whatever was built last. And a file in e2e that never touches the build only
 * makes `npm run test:unit` miss it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, sep } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CRASH, E2E } from '../../vitest.config.js'
import { ROOT } from '../helpers/cli.js'

/** What a module contains when it runs the built program: the CLI runner, its path, or dist/. */
const RUNS_THE_BUILD = /\brunCli\b|\bBIN\b|ROOT, 'dist'/
const CLI_HELPER = join(ROOT, 'test', 'helpers', 'cli.ts')

/** Whether a test module, or a module of test/ it imports (transitively), runs the build.
 * test/helpers/cli.ts itself is left out: importing ROOT from it runs nothing. */
function runsTheBuild(file: string, seen = new Set<string>()): boolean {
  if (seen.has(file) || file === CLI_HELPER) return false
  seen.add(file)
  const text = readFileSync(file, 'utf8')
  if (RUNS_THE_BUILD.test(text)) return true
  const local = [...text.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)].map((m) => join(dirname(file), `${m[1] ?? ''}.ts`))
  // Code inside strings (a child's script) may name modules that are not files here.
  return local.some((f) => f.startsWith(join(ROOT, 'test')) && existsSync(f) && runsTheBuild(f, seen))
}

const testFiles = readdirSync(join(ROOT, 'test'), { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
  .map((e) => join(e.parentPath, e.name).slice(ROOT.length + 1).split(sep).join('/'))
  .sort()

/** The two pattern shapes the config uses: a folder's tests (`dir/**\/*.test.ts`) or one file. */
function matches(pattern: string, file: string): boolean {
  const folder = /^(.*\/)\*\*\/\*\.test\.ts$/.exec(pattern)?.[1]
  if (folder !== undefined) return file.startsWith(folder)
  if (pattern.includes('*')) throw new Error(`test-projects.test.ts does not understand the pattern ${pattern}`)
  return file === pattern
}

const projectOf = (file: string): string => (CRASH.some((p) => matches(p, file)) ? 'crash' : E2E.some((p) => matches(p, file)) ? 'e2e' : 'unit')

describe('the vitest projects', () => {
  it('every pattern of e2e and crash names at least one test file', () => {
    for (const p of [...E2E, ...CRASH]) expect(testFiles.filter((f) => matches(p, f)), p).not.toEqual([])
  })

  it('put each test file that runs the build in e2e or crash, and no other', () => {
    // This file holds the pattern itself, so it would match it.
    const self = import.meta.filename.slice(ROOT.length + 1).split(sep).join('/')
    const wrong = testFiles.filter((f) => f !== self).flatMap((f) => {
      const runsBuild = runsTheBuild(join(ROOT, f))
      const project = projectOf(f)
      if (runsBuild && project === 'unit') return [`${f} runs the built CLI but is in unit`]
      if (!runsBuild && project !== 'unit') return [`${f} does not run the build but is in ${project}`]
      return []
    })
    expect(wrong).toEqual([])
    expect(testFiles.filter((f) => projectOf(f) === 'crash').length).toBeGreaterThan(0)
  })
})
