import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import type { Output } from './cli/output.js'
import type { ExitCode } from './core/errors.js'
import { packageRoot } from './paths.js'

/** Where the build puts the CLI as bin/cutover.js loads it: cutover.cjs, its source map and the
 * code cache (bin/boot.js). */
export function bundleDir(): string {
  return join(packageRoot(), 'dist', 'bundle')
}

/** Packages built into the bundle instead of read from node_modules, where each of their modules
 * is a file to find and compile at every start (issue 14). temporal-polyfill and js-yaml are loaded
 * by every `validate` (temporal-polyfill's ten ES modules cost about 15 ms of its 90 on a small
 * plan); handlebars, with source-map, is 44 modules that every preview and script loads (40 ms of a
 * small plan's `plan`). listr2 and wrap-ansi are ES modules only, which a CommonJS bundle may not
 * require() on every Node 20. Their code is unchanged; they stay dependencies, installed with their
 * licences. */
export const BUNDLED: readonly string[] = ['temporal-polyfill', 'js-yaml', 'listr2', 'wrap-ansi', 'handlebars']

/** Every runtime dependency but BUNDLED, with its subpaths (`ajv/dist/2020.js`). */
function externalPackages(): string[] {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
  return Object.keys(pkg.dependencies)
    .filter((name) => !BUNDLED.includes(name))
    .flatMap((name) => [name, `${name}/*`])
}

/**
 * Bundles the compiled CLI (dist/runner/cli/main.js) into one CommonJS file, then writes the V8
 * code cache bin/boot.js loads it with (issue 14: Node's ESM loader cost about half a millisecond
 * per module, and compiling the code a third of a small `validate`).
 * - One file, CommonJS: esbuild keeps each lazily imported module (each command, the SQL Server
 *   driver, the lab, listr2) behind a function run at its first import, so `validate` still loads
 *   neither mssql nor better-sqlite3 (test/unit/lazy-driver.test.ts).
 * - Packages stay external, read from node_modules (better-sqlite3 is native), except BUNDLED.
 *   The files read by path stay outside too: the bundle sits two folders below the package root,
 *   as dist/runner/*.js do not, so nothing may find a file relative to its own module;
 *   packageRoot() looks upward for migration.schema.json and works from both.
 * - `import.meta.url`, which CommonJS has not, is the bundle's own URL.
 * - A linked source map (cutover.cjs.map, chained through tsc's maps to the .ts sources), used
 *   only when Node runs with --enable-source-maps: reading it at every start would cost more than
 *   the bundle saves.
 */
export async function writeBundle(): Promise<{ bundle: string; cacheBytes: number }> {
  const outdir = bundleDir()
  // A rebuild must not leave the last build's files (or an older layout's chunks) behind.
  rmSync(outdir, { recursive: true, force: true })
  const bundle = join(outdir, 'cutover.cjs')
  await build({
    entryPoints: [join(packageRoot(), 'dist', 'runner', 'cli', 'main.js')],
    outfile: bundle,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: externalPackages(),
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: 'const importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
    sourcemap: 'linked',
    logLevel: 'warning',
  })
  // bin/boot.js runs the bundle as a vm.Script, which has no loader for import(): a package that
  // is an ES module only must be in BUNDLED, or the command that imports it would fail at run time.
  const dynamic = /(?<![\w$.])import\(/.exec(readFileSync(bundle, 'utf8'))
  if (dynamic !== null) throw new Error(`bundle: ${bundle} still has an import() at offset ${dynamic.index}; add the ES-module-only package it loads to BUNDLED`)
  return { bundle, cacheBytes: await writeCodeCache() }
}

type Cli = { main(argv: readonly string[], out: Output): Promise<ExitCode> }

interface Boot {
  writeCodeCache(warmUp: (cli: Cli) => Promise<void>): Promise<number>
}

/** The cache holds what a run compiled: validate and a text preview of an example plan with
 * checkpoints, on a copy in a temporary folder (so no state beside the repository's plans is
 * read), with every line discarded. What they do not reach compiles at first use, as before. */
async function writeCodeCache(): Promise<number> {
  const boot = createRequire(import.meta.url)(join(packageRoot(), 'bin', 'boot.js')) as Boot
  const dir = mkdtempSync(join(tmpdir(), 'cutover-build-'))
  try {
    const plan = join(dir, 'plan.yaml')
    copyFileSync(join(packageRoot(), 'plans', 'contoso-lync2010.yaml'), plan)
    const quiet: Output = { stdout: () => undefined, stderr: () => undefined }
    return await boot.writeCodeCache(async (cli) => {
      for (const argv of [['validate', plan], ['plan', plan, '--out', join(dir, 'plan.txt')]]) {
        const code = await cli.main(argv, quiet)
        if (code !== 0) throw new Error(`bundle: the code cache's warm-up \`cutover ${argv.join(' ')}\` exited ${code}`)
      }
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { bundle, cacheBytes } = await writeBundle()
  process.stdout.write(`wrote ${bundle} and its code cache (${Math.round(cacheBytes / 1024)} KiB)\n`)
}
