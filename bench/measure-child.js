// Runs one cutover command in this process and reports its peak memory (maxRSS) on the last
// stderr line, so the benchmark measures the command and not the benchmark.
import { main } from '../dist/runner/cli/main.js'

const code = await main(process.argv.slice(2), { stdout: () => undefined, stderr: (l) => process.stderr.write(l + '\n') })
process.stderr.write(`BENCH ${JSON.stringify({ code, maxRssKiB: process.resourceUsage().maxRSS })}\n`)
process.exitCode = code
