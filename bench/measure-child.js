// Runs one cutover command in this process and reports its peak memory (maxRSS) on the last
// stderr line, so the benchmark measures the command and not the benchmark.
import { performance } from 'node:perf_hooks'
import { setInterval } from 'node:timers'
import { createRequire } from 'node:module'

// The CLI as bin/cutover.js loads it: the bundle, with its code cache.
const { main } = createRequire(import.meta.url)('../bin/boot.js').loadCli()

// The longest the event loop went without running a timer (what freezes a spinner), past the
// 20 ms the timer asks for.
let last = performance.now()
let maxStallMs = 0
const monitor = setInterval(() => {
  const now = performance.now()
  maxStallMs = Math.max(maxStallMs, now - last - 20)
  last = now
}, 20)
monitor.unref()
const out = process.env.BENCH_TERMINAL === '1' ? (l) => process.stdout.write(l + '\n') : () => undefined
const code = await main(process.argv.slice(2), { stdout: out, stderr: (l) => process.stderr.write(l + '\n') })
process.stderr.write(`BENCH ${JSON.stringify({ code, maxRssKiB: process.resourceUsage().maxRSS, maxStallMs: Math.round(maxStallMs) })}\n`)
process.exitCode = code
