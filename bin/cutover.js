#!/usr/bin/env node
'use strict'
// The CLI entry: the compiled program, bundled into dist/bundle/ (built by `npm ci` / `npm run build`)
// and loaded with its code cache (bin/boot.js).
let cli
try {
  cli = require('./boot.js').loadCli()
} catch (e) {
  if (e === null || typeof e !== 'object' || e.code !== 'ENOENT') throw e
  process.stderr.write(`cutover: error: the program is not built (${e.code}); run npm run build\n`)
  process.exitCode = 1
}
if (cli !== undefined) {
  cli.main(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  })
}
