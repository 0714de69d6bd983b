import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { packageRoot } from './paths.js'

/** Where the build puts the CLI as bin/cutover.js loads it: `main.js` and the chunks it imports. */
export function bundleDir(): string {
  return join(packageRoot(), 'dist', 'bundle')
}

/**
 * Bundles the compiled CLI (dist/runner/cli/main.js) into a few files: Node's ESM loader costs
 * about half a millisecond per module, and `cutover validate` loaded over a hundred (issue 14).
 * - Split at every dynamic import(): each command, the SQL Server driver, the lab, listr2 stay
 *   loaded on demand. Without splitting, esbuild hoists the static imports of packages to the top
 *   of the one file, so `validate` would load mssql and better-sqlite3.
 * - Packages stay external, read from node_modules as before (better-sqlite3 is native), except
 *   those in BUNDLED. The files read by path stay outside too: the bundle sits two folders below the package root, as
 *   dist/runner/*.js do not, so nothing may find a file relative to its own module; packageRoot()
 *   looks upward for migration.schema.json and works from both.
 * - A linked source map (main.js.map, chained through tsc's maps to the .ts sources), used only
 *   when Node runs with --enable-source-maps: reading it at every start would cost more than the
 *   bundle saves.
 */
/** Packages built into the chunks instead of read from node_modules: temporal-polyfill is ten
 * ES modules (with temporal-utils), and resolving and linking them cost `validate` about 15 ms of
 * its 90 on a small plan, more than the rest of its loading (issue 14). Its code is unchanged, and
 * it stays a dependency, installed with its LICENSE. */
export const BUNDLED: readonly string[] = ['temporal-polyfill']

/** Every runtime dependency but BUNDLED, with its subpaths (`ajv/dist/2020.js`). */
function externalPackages(): string[] {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
  return Object.keys(pkg.dependencies)
    .filter((name) => !BUNDLED.includes(name))
    .flatMap((name) => [name, `${name}/*`])
}

export async function writeBundle(): Promise<string> {
  const outdir = bundleDir()
  // Chunk names carry a content hash: a rebuild must not leave the last build's chunks behind.
  rmSync(outdir, { recursive: true, force: true })
  await build({
    entryPoints: [join(packageRoot(), 'dist', 'runner', 'cli', 'main.js')],
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: externalPackages(),
    sourcemap: 'linked',
    logLevel: 'warning',
  })
  return join(outdir, 'main.js')
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`wrote ${await writeBundle()}\n`)
}
