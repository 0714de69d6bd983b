'use strict'
/**
 * Loads the bundled CLI, dist/bundle/cutover.cjs, with the V8 code cache the build wrote beside it
 * (cutover.cache). Node 20 has no compile cache of its own (module.enableCompileCache came in 22),
 * and compiling the bundle at every start was a third of `cutover validate` (issue 14). The cache
 * is written by the build on this machine's Node, never at run time; V8 checks it against its own
 * version, flags and the source, and compiles as usual when it does not match, so a stale or
 * foreign cache costs time, never correctness.
 * Plain CommonJS (bin/package.json): an ES module entry would start Node's ESM loader for nothing.
 */
const { readFileSync, writeFileSync } = require('node:fs')
const Module = require('node:module')
const { join } = require('node:path')
const vm = require('node:vm')

const BUNDLE_DIR = join(__dirname, '..', 'dist', 'bundle')
const BUNDLE = join(BUNDLE_DIR, 'cutover.cjs')
const CACHE = join(BUNDLE_DIR, 'cutover.cache')

/** The bundle compiled with the code cache in `cacheFile` (none when undefined or missing), run as
 * CommonJS runs a module. */
function loadBundle(cacheFile) {
  const source = readFileSync(BUNDLE, 'utf8')
  let cachedData
  if (cacheFile !== undefined) {
    try {
      cachedData = readFileSync(cacheFile)
    } catch {
      // No cache (a build that could not write one): compiled like any module.
    }
  }
  // The wrapper is CommonJS's own, so the bundle sees require, module and __filename as in a file
  // Node loads; the cache is of this exact text.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n})`
  const script = new vm.Script(wrapped, { filename: BUNDLE, cachedData })
  // No importModuleDynamically: the bundle has no import() left (runner/bundle.ts checks).
  const loaded = { exports: {} }
  script.runInThisContext().call(loaded.exports, loaded.exports, Module.createRequire(BUNDLE), loaded, BUNDLE, BUNDLE_DIR)
  return { cli: loaded.exports, script, cacheRejected: cachedData !== undefined && script.cachedDataRejected === true }
}

/** The CLI's exports ({ main }), loaded with the cache; with --enable-source-maps, by require():
 * Node maps the stack traces of the files its loader reads, not of a vm.Script. */
function loadCli() {
  if (process.sourceMapsEnabled === true) return require(BUNDLE)
  return loadBundle(CACHE).cli
}

/** For the build: loads the bundle without a cache, runs `warmUp` with it (the functions it
 * compiles are what the cache holds), then writes the cache. Returns its size in bytes. */
async function writeCodeCache(warmUp) {
  const { cli, script } = loadBundle(undefined)
  await warmUp(cli)
  const data = script.createCachedData()
  writeFileSync(CACHE, data)
  return data.length
}

module.exports = { loadCli, loadBundle, writeCodeCache, BUNDLE, CACHE }
