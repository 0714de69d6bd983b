// Benchmarks: `npm run bench`. Prints a table and writes bench/results/latest.json.
// Whole-process timings include Node's start, as an admin (or CI) experiences them.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkpointCost } from './checkpoint.js'
import { generatePlan } from './generate-plan.js'
import { inventoryQueryCounts } from './query-count.js'

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

results.push({ name: 'plan (text preview): 10,000 room + 2,000 category mappings', ...timeProcess(['plan', big, '--out', join(dir, 'big-plan.txt')], 0) })
results.push({ name: 'plan --format json: 10,000 room + 2,000 category mappings', ...timeProcess(['plan', big, '--format', 'json', '--out', join(dir, 'big-plan.json')], 0) })

const example = join(root, 'plans', 'contoso-lync2010.yaml')
results.push({ name: 'validate: plans/contoso-lync2010.yaml', ...timeProcess(['validate', example], 0) })

// Hostile YAML (issue 13): nesting that made the parser recurse until the stack ran out, and a
// flood of stray brackets the parser reported one by one, in quadratic time (5-11 s).
const base = readFileSync(example, 'utf8')
const nested = join(dir, 'nested.yaml')
writeFileSync(nested, `${base}x:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')} 1\n`)
results.push({ name: 'validate: 2,000 levels of nested mappings (refused)', ...timeProcess(['validate', nested], 1) })
const brackets = join(dir, 'brackets.yaml')
writeFileSync(brackets, `${base}x: ${']'.repeat(40_000)}\n`)
results.push({ name: 'validate: 40,000 stray ] (refused)', ...timeProcess(['validate', brackets], 1) })

results.push({ name: 'checkpoint (file store: save state + append journal)', ...(await checkpointCost()) })

for (const q of await inventoryQueryCounts()) {
  results.push({ name: `inventory: ${q.rooms.toLocaleString('en-US')} rooms`, medianMs: q.ms, minMs: q.ms, maxMs: q.ms, runs: 1, queries: q.queries })
}

// Lab migrations: whole apply of plans/lab.yaml on labs of growing size (the lab emulator).
function measured(args, env = {}) {
  const t = process.hrtime.bigint()
  const r = spawnSync(process.execPath, [join(root, 'bench', 'measure-child.js'), ...args], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 })
  const ms = Number(process.hrtime.bigint() - t) / 1e6
  const line = r.stderr.trim().split('\n').reverse().find((l) => l.startsWith('BENCH '))
  if (line === undefined || r.status !== 0) throw new Error(`cutover ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`)
  return { ms, ...JSON.parse(line.slice(6)) }
}

const sizes = (process.env.BENCH_LAB ?? '1000x100000,1000x1000000').split(',').map((s) => s.split('x').map(Number))
for (const [rooms, messages] of sizes) {
  const labDir = join(dir, `lab-${rooms}-${messages}`)
  mkdirSync(labDir, { recursive: true })
  const plan = readFileSync(join(root, 'plans', 'lab.yaml'), 'utf8')
  writeFileSync(join(labDir, 'lab.yaml'), plan)
  const init = measured(['lab', 'init', '--dir', join(labDir, '.cutover', 'lab'), '--rooms', String(rooms), '--messages', String(messages)])
  const apply = measured(['apply', join(labDir, 'lab.yaml'), '--yes', '--quiet'])
  const state = JSON.parse(readFileSync(join(labDir, '.cutover', 'lab.state.json'), 'utf8'))
  const stepMs = (id) => Date.parse(state.steps[id].endedAt) - Date.parse(state.steps[id].startedAt)
  const exported = state.steps['cutover.export.gc2010'].outputs.messages
  const runs = Object.values(state.steps).filter((s) => s.startedAt !== undefined)
  results.push({ name: `lab init: ${rooms} rooms, ${messages.toLocaleString('en-US')} messages`, medianMs: init.ms, minMs: init.ms, maxMs: init.ms, runs: 1, peakRssMiB: Math.round(init.maxRssKiB / 1024) })
  results.push({
    name: `lab apply: ${rooms} rooms, ${messages.toLocaleString('en-US')} messages`, medianMs: apply.ms, minMs: apply.ms, maxMs: apply.ms, runs: 1,
    peakRssMiB: Math.round(apply.maxRssKiB / 1024),
    exportMsgPerSec: Math.round(exported / (stepMs('cutover.export.gc2010') / 1000)),
    importMsgPerSec: Math.round(exported / (stepMs('cutover.import.gc2010') / 1000)),
    verifyMs: stepMs('cutover.verify'),
    steps: runs.length,
  })
}

const width = Math.max(...results.map((r) => r.name.length))
const ms = (v) => (v < 10 ? v.toFixed(2) : v.toFixed(0))
console.log(`${'benchmark'.padEnd(width)}  median ms  min ms  max ms  queries  peak MiB  export msg/s  import msg/s`)
for (const r of results) {
  const extra = `  ${String(r.queries ?? '').padStart(7)}  ${String(r.peakRssMiB ?? '').padStart(8)}  ${String(r.exportMsgPerSec ?? '').padStart(12)}  ${String(r.importMsgPerSec ?? '').padStart(12)}`
  console.log(`${r.name.padEnd(width)}  ${ms(r.medianMs).padStart(9)}  ${ms(r.minMs).padStart(6)}  ${ms(r.maxMs).padStart(6)}${extra}`)
}
mkdirSync(join(root, 'bench', 'results'), { recursive: true })
writeFileSync(join(root, 'bench', 'results', 'latest.json'), JSON.stringify({ node: process.version, at: new Date().toISOString(), results }, null, 2))
