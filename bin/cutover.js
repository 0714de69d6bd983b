#!/usr/bin/env node
// The CLI entry: the compiled program, bundled into dist/bundle/ (built by `npm ci` / `npm run build`).
import('../dist/bundle/main.js').then(
  async (cli) => {
    process.exitCode = await cli.main(process.argv.slice(2))
  },
  (e) => {
    process.stderr.write(`cutover: error: the program is not built (${e.code ?? e.message}); run npm run build\n`)
    process.exitCode = 1
  },
)
