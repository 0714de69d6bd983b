// Benchmarks: `npm run bench`. Prints a table and writes bench/results/latest.json.
// Whole-process timings include Node's start, as an admin (or CI) experiences them.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generatePlan } from './generate-plan.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bin = join(root, 'bin', 'cutover.js')
const RUNS = Number(process.env.BENCH_RUNS ?? 7)

function timeProcess(args, expectCode) {
  const samples = []
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint()
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' })
    samples.push(Number(process.hrtime.bigint() - t) / 1e6)
    if (r.status !== expectCode) throw new Error(`cutover ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout.slice(0, 500)}`)
  }
  samples.sort((a, b) => a - b)
  return { medianMs: samples[Math.floor(samples.length / 2)], minMs: samples[0], maxMs: samples.at(-1), runs: RUNS }
}

const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-'))
const results = []

results.push({ name: 'cutover --version (cold start)', ...timeProcess(['--version'], 0) })

const big = join(dir, 'big.yaml')
const text = generatePlan({ rooms: 10_000, categories: 2_000 })
writeFileSync(big, text)
results.push({ name: 'validate: 10,000 room + 2,000 category mappings', sizeBytes: text.length, ...timeProcess(['validate', big], 0) })

const example = join(root, 'plans', 'contoso-lync2010.yaml')
results.push({ name: 'validate: plans/contoso-lync2010.yaml', ...timeProcess(['validate', example], 0) })

const width = Math.max(...results.map((r) => r.name.length))
console.log(`${'benchmark'.padEnd(width)}  median ms  min ms  max ms`)
for (const r of results) console.log(`${r.name.padEnd(width)}  ${r.medianMs.toFixed(0).padStart(9)}  ${r.minMs.toFixed(0).padStart(6)}  ${r.maxMs.toFixed(0).padStart(6)}`)
mkdirSync(join(root, 'bench', 'results'), { recursive: true })
writeFileSync(join(root, 'bench', 'results', 'latest.json'), JSON.stringify({ node: process.version, at: new Date().toISOString(), results }, null, 2))
