/**
 * Whether dist/ was built from the sources as they are now. The end-to-end and crash tests run
 * the built CLI: after an edit without `npm run build` they would silently test the old code.
 * The rule: every build input (the .ts files under runner/, templates/, migration.schema.json) is older
 * than every file the build produced from it (the compiled modules, the precompiled validator, the
 * bundle). Modification times, not hashes, so the check
 * needs nothing from the build itself and costs a few milliseconds.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'

/** Every file under `dir`, as paths relative to `root` with '/' separators. */
function filesUnder(root: string, dir: string, keep: (name: string) => boolean): string[] {
  const full = join(root, dir)
  if (!existsSync(full)) return []
  return readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && keep(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort()
}

/** What is wrong with dist/ under `root`, in one line that says what to run; undefined when it is current. */
export function staleBuild(root: string): string | undefined {
  const sources = filesUnder(root, 'runner', (n) => n.endsWith('.ts') && !n.endsWith('.d.ts'))
  // The bundle is what bin/cutover.js loads, and what the CLI tests run; the compiled modules are
  // what it is bundled from, and what some tests import.
  const outputs = [...sources.map((s) => `dist/${s.replace(/\.ts$/, '.js')}`), 'dist/plan-validator.cjs', 'dist/bundle/cutover.cjs']
  const missing = outputs.filter((o) => !existsSync(join(root, o)))
  if (missing.length > 0) return `dist/ is not built from the current sources (missing ${describe(missing)}): run npm run build`
  // The build is as old as the oldest file it wrote; tsc rewrites every output on each build.
  const built = Math.min(...outputs.map((o) => statSync(join(root, o)).mtimeMs))
  const inputs = [...sources, ...filesUnder(root, 'templates', () => true), 'migration.schema.json']
  const newer = inputs.filter((i) => existsSync(join(root, i)) && statSync(join(root, i)).mtimeMs > built)
  if (newer.length > 0) return `dist/ is older than ${describe(newer)}: run npm run build`
  return undefined
}

function describe(files: readonly string[]): string {
  return files.length === 1 ? (files[0] ?? '') : `${files[0] ?? ''} and ${String(files.length - 1)} more`
}
