// Benchmarks: `npm run bench`. Prints a table and writes bench/results/latest.json.
// Whole-process timings include Node's start, as an admin (or CI) experiences them.
import { spawnSync } from 'node:child_process'
import { Buffer } from 'node:buffer'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkpointCost } from './checkpoint.js'
import { generatePlan } from './generate-plan.js'
import { ndjsonToSqliteLimit } from './ndjson-sqlite-limit.js'
import { inventoryQueryCounts } from './query-count.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bin = join(root, 'bin', 'cutover.js')
const RUNS = Number(process.env.BENCH_RUNS ?? 7)
// BENCH_ONLY=lab: the baseline and the lab rows only (the lab's targets, without the plan rows).
const LAB_ONLY = process.env.BENCH_ONLY === 'lab'
if (process.env.BENCH_ONLY !== undefined && !LAB_ONLY) throw new Error(`BENCH_ONLY=${process.env.BENCH_ONLY}: only BENCH_ONLY=lab is known`)

function timeOnce(argv, expectCode, what) {
  const t = process.hrtime.bigint()
  const r = spawnSync(process.execPath, argv, { encoding: 'utf8' })
  const ms = Number(process.hrtime.bigint() - t) / 1e6
  if (r.status !== expectCode) throw new Error(`${what} exited ${r.status}: ${r.stderr}${r.stdout.slice(0, 500)}`)
  return ms
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]

// Each command's runs alternate with runs of `node -e 0`, and its ratio is to the median of those:
// this machine's speed drifts by up to 10% within minutes, and a baseline measured once at the
// start made a row's ratio depend on when it ran. The baseline row itself is measured alone.
function timeProcess(args, expectCode, argv = [bin, ...args]) {
  const samples = []
  const base = []
  const paired = argv[0] !== '-e'
  for (let i = 0; i < RUNS; i++) {
    if (paired) base.push(timeOnce(['-e', '0'], 0, 'node -e 0'))
    samples.push(timeOnce(argv, expectCode, `cutover ${args.join(' ')}`))
  }
  samples.sort((a, b) => a - b)
  return { medianMs: median(samples), minMs: samples[0], maxMs: samples.at(-1), runs: RUNS, ...(paired ? { baselineMs: median(base) } : {}) }
}

const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-'))
const results = []

// The baseline every ratio is to: Node starting and doing nothing, measured in this run (the
// machine may be busy; the ratios are what compare across runs).
const baseline = { name: 'node -e 0 (baseline)', ...timeProcess([], 0, ['-e', '0']) }
results.push(baseline)
let validateBig
let validateLeftOut
let planBig
let planAgainst
const examples = []
if (!LAB_ONLY) {
  results.push({ name: 'cutover --version (cold start)', ...timeProcess(['--version'], 0) })

  const big = join(dir, 'big.yaml')
  const text = generatePlan({ rooms: 10_000, categories: 2_000 })
  writeFileSync(big, text)
  validateBig = { name: 'validate: 10,000 room + 2,000 category mappings', sizeBytes: text.length, ...timeProcess(['validate', big], 0) }
  results.push(validateBig)
  const leftOut = join(dir, 'left-out.yaml')
  writeFileSync(leftOut, generatePlan({ rooms: 10_000, categories: 2_000, leftOut: 5_000 }))
  validateLeftOut = { name: 'validate: the same + 5,000 categories left out (export: false)', ...timeProcess(['validate', leftOut], 0) }
  results.push(validateLeftOut)

  planBig = { name: 'plan (text preview): 10,000 room + 2,000 category mappings', ...timeProcess(['plan', big, '--out', join(dir, 'big-plan.txt')], 0) }
  results.push(planBig)
  results.push({ name: 'plan --format json: 10,000 room + 2,000 category mappings', ...timeProcess(['plan', big, '--format', 'json', '--out', join(dir, 'big-plan.json')], 0) })

  // plan --against: the 10k plan committed, then one mapping inserted in the middle of rooms.map
  // (the lists are aligned, so it is one change) and one renamed near the end.
  const repo = join(dir, 'repo')
  mkdirSync(repo)
  const git = (...args) => {
    const r = spawnSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`)
  }
  writeFileSync(join(repo, 'big.yaml'), text)
  git('init', '-q')
  git('add', 'big.yaml')
  git('commit', '-q', '-m', 'plan')
  writeFileSync(join(repo, 'big.yaml'), text
    .replace('    - { source: gc, room: Division 0/Team 1000/Room 5000,', '    - { source: gc, room: Division 9/Team 9/Inserted, rename: inserted }\n    - { source: gc, room: Division 0/Team 1000/Room 5000,')
    .replace('rename: room-9998,', 'rename: room-9998-renamed,'))
  planAgainst = { name: 'plan --against HEAD: the 10k plan, one mapping inserted, one renamed', ...timeProcess(['plan', join(repo, 'big.yaml'), '--against', 'HEAD', '--out', join(dir, 'big-against.txt')], 0) }
  results.push(planAgainst)

  const example = join(root, 'plans', 'contoso-lync2010.yaml')
  for (const f of readdirSync(join(root, 'plans')).filter((n) => n.endsWith('.yaml')).sort()) {
    const row = { name: `validate: plans/${f}`, ...timeProcess(['validate', join(root, 'plans', f)], 0) }
    examples.push(row)
    results.push(row)
  }

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
}

// Lab migrations: whole apply of plans/lab.yaml on labs of growing size (the lab emulator), with
// --quiet and on a terminal (a 120x40 pseudo-terminal from script(1)), each on a fresh copy of the
// same lab; then the NDJSON-to-SQLite limit on the export file of the quiet run.
function measured(args, env = {}) {
  const t = process.hrtime.bigint()
  const r = spawnSync(process.execPath, [join(root, 'bench', 'measure-child.js'), ...args], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 })
  const ms = Number(process.hrtime.bigint() - t) / 1e6
  const line = r.stderr.trim().split('\n').reverse().find((l) => l.startsWith('BENCH '))
  if (line === undefined || r.status !== 0) throw new Error(`cutover ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`)
  return { ms, ...JSON.parse(line.slice(6)) }
}

const shellQuote = (a) => `'${a.replace(/'/g, "'\\''")}'`
function onTerminal(args, cwd) {
  const log = join(cwd, 'terminal.log')
  const command = `stty cols 120 rows 40; BENCH_TERMINAL=1 ${[process.execPath, join(root, 'bench', 'measure-child.js'), ...args].map(shellQuote).join(' ')}`
  const t = process.hrtime.bigint()
  const r = spawnSync('script', ['-qfec', command, log], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 })
  const ms = Number(process.hrtime.bigint() - t) / 1e6
  const text = readFileSync(log, 'utf8')
  const line = text.split(/\r?\n/).reverse().find((l) => l.includes('BENCH {'))
  if (line === undefined || r.status !== 0) throw new Error(`cutover ${args.join(' ')} on a terminal failed (${r.status}): ${text.slice(-2000)}`)
  return { ms, outputBytes: Buffer.byteLength(text), ...JSON.parse(line.slice(line.indexOf('BENCH {') + 6)) }
}

let applyQuiet
let applyTerminal
let applyReviewed
let importRatio
let terminalRatio
const sizes = (process.env.BENCH_LAB ?? '1000x300000').split(',').map((s) => s.split('x').map(Number))
// BENCH_LAB_RUNS (default 1): each lab applied that many times, quiet, limit and terminal in turn
// on fresh copies of one lab, so a busy machine weighs on all three alike; medians are printed.
const LAB_RUNS = Number(process.env.BENCH_LAB_RUNS ?? 1)
const row = (name, values, extra) => ({ name, medianMs: median(values), minMs: Math.min(...values), maxMs: Math.max(...values), runs: values.length, ...extra })
for (const [rooms, messages] of sizes) {
  const labDir = join(dir, `lab-${rooms}-${messages}`)
  mkdirSync(labDir, { recursive: true })
  const plan = readFileSync(join(root, 'plans', 'lab.yaml'), 'utf8')
  writeFileSync(join(labDir, 'lab.yaml'), plan)
  const init = measured(['lab', 'init', '--dir', join(labDir, '.cutover', 'lab'), '--rooms', String(rooms), '--messages', String(messages)])
  const quiet = []
  const terminals = []
  const limits = []
  for (let run = 0; run < LAB_RUNS; run++) {
    const quietDir = `${labDir}-quiet-${run}`
    const ttyDir = `${labDir}-terminal-${run}`
    cpSync(labDir, quietDir, { recursive: true })
    cpSync(labDir, ttyDir, { recursive: true })
    const apply = measured(['apply', join(quietDir, 'lab.yaml'), '--yes', '--quiet'])
    const state = JSON.parse(readFileSync(join(quietDir, '.cutover', 'lab.state.json'), 'utf8'))
    const stepMs = (id) => Date.parse(state.steps[id].endedAt) - Date.parse(state.steps[id].startedAt)
    const exported = state.steps['cutover.export.gc2010'].outputs.messages
    limits.push(await ndjsonToSqliteLimit(join(quietDir, state.steps['cutover.export.gc2010'].outputs.file)))
    quiet.push({
      ...apply,
      exportMsgPerSec: Math.round(exported / (stepMs('cutover.export.gc2010') / 1000)),
      importMsgPerSec: Math.round(exported / (stepMs('cutover.import.gc2010') / 1000)),
      verifyMs: stepMs('cutover.verify'),
      steps: Object.values(state.steps).filter((s) => s.startedAt !== undefined).length,
    })
    terminals.push(onTerminal(['apply', join(ttyDir, 'lab.yaml'), '--yes'], ttyDir))
    rmSync(quietDir, { recursive: true, force: true })
    rmSync(ttyDir, { recursive: true, force: true })
  }
  // apply --reviewed: the reviewed plan written with --inventory, then the run checked against it.
  const reviewedDir = `${labDir}-reviewed`
  cpSync(labDir, reviewedDir, { recursive: true })
  const reviewedFile = join(reviewedDir, 'reviewed.json')
  const planned = measured(['plan', join(reviewedDir, 'lab.yaml'), '--inventory', '--format', 'json', '--out', reviewedFile])
  const reviewedApply = measured(['apply', join(reviewedDir, 'lab.yaml'), '--yes', '--quiet', '--reviewed', reviewedFile])
  rmSync(reviewedDir, { recursive: true, force: true })
  const label = `${rooms} rooms, ${messages.toLocaleString('en-US')} messages`
  results.push({ name: `lab init: ${label}`, medianMs: init.ms, minMs: init.ms, maxMs: init.ms, runs: 1, peakRssMiB: Math.round(init.maxRssKiB / 1024) })
  const quietRow = row(`lab apply --quiet: ${label}`, quiet.map((a) => a.ms), {
    peakRssMiB: Math.round(Math.max(...quiet.map((a) => a.maxRssKiB)) / 1024),
    exportMsgPerSec: median(quiet.map((a) => a.exportMsgPerSec)),
    importMsgPerSec: median(quiet.map((a) => a.importMsgPerSec)),
    verifyMs: median(quiet.map((a) => a.verifyMs)),
    maxStallMs: Math.max(...quiet.map((a) => a.maxStallMs)),
    steps: quiet[0]?.steps,
  })
  results.push(quietRow)
  const terminalRow = row(`lab apply on a terminal: ${label}`, terminals.map((t) => t.ms), {
    peakRssMiB: Math.round(Math.max(...terminals.map((t) => t.maxRssKiB)) / 1024),
    maxStallMs: Math.max(...terminals.map((t) => t.maxStallMs)),
    outputBytes: median(terminals.map((t) => t.outputBytes)),
  })
  results.push(terminalRow)
  results.push({ name: `plan --inventory --format json --out (the reviewed plan): ${label}`, medianMs: planned.ms, minMs: planned.ms, maxMs: planned.ms, runs: 1, peakRssMiB: Math.round(planned.maxRssKiB / 1024) })
  const reviewedRow = { name: `lab apply --quiet --reviewed: ${label}`, medianMs: reviewedApply.ms, minMs: reviewedApply.ms, maxMs: reviewedApply.ms, runs: 1, peakRssMiB: Math.round(reviewedApply.maxRssKiB / 1024), maxStallMs: reviewedApply.maxStallMs }
  results.push(reviewedRow)
  const limitRow = row(`NDJSON -> SQLite limit (bench/ndjson-sqlite-limit.js): ${label}`, limits.map((l) => l.ms), { importMsgPerSec: median(limits.map((l) => l.msgPerSec)) })
  results.push(limitRow)
  if (messages === 300_000 || applyQuiet === undefined) {
    applyQuiet = quietRow
    applyTerminal = terminalRow
    applyReviewed = reviewedRow
    // Ratios of the same turn, then their median: a turn the machine slowed down slows both sides.
    terminalRatio = median(terminals.map((t, i) => t.ms / quiet[i].ms))
    importRatio = median(limits.map((l, i) => quiet[i].importMsgPerSec / l.msgPerSec))
  }
}

const width = Math.max(...results.map((r) => r.name.length))
const ms = (v) => (v < 10 ? v.toFixed(2) : v.toFixed(0))
// A row measured in turns with node -e 0 is given as a ratio to its own baseline runs.
const ratio = (v, base = baseline.medianMs) => `${(v / base).toFixed(2)}x`
console.log(`${'benchmark'.padEnd(width)}  median ms  min ms  max ms  x node -e 0  queries  peak MiB  export msg/s  import msg/s  stall ms`)
for (const r of results) {
  const extra = `  ${String(r.queries ?? '').padStart(7)}  ${String(r.peakRssMiB ?? '').padStart(8)}  ${String(r.exportMsgPerSec ?? '').padStart(12)}  ${String(r.importMsgPerSec ?? '').padStart(12)}  ${String(r.maxStallMs ?? '').padStart(8)}`
  console.log(`${r.name.padEnd(width)}  ${ms(r.medianMs).padStart(9)}  ${ms(r.minMs).padStart(6)}  ${ms(r.maxMs).padStart(6)}  ${ratio(r.medianMs, r.baselineMs).padStart(11)}${extra}`)
}

// Issue 14's targets, each beside what this run measured. Absolute targets are stated for the
// issue's machine, where node -e 0 took 120 ms; on a busy machine compare the ratios.
const ISSUE_BASELINE_MS = 120
const targets = LAB_ONLY ? [] : [
  { target: 'validate of the 10k plan <= 0.6 s', limit: 600 / ISSUE_BASELINE_MS, measured: validateBig.medianMs / validateBig.baselineMs, unit: 'x node -e 0', seconds: validateBig.medianMs / 1000 },
  { target: 'plan of the 10k plan <= 1.0 s', limit: 1000 / ISSUE_BASELINE_MS, measured: planBig.medianMs / planBig.baselineMs, unit: 'x node -e 0', seconds: planBig.medianMs / 1000 },
  { target: 'plan --against of the 10k plan <= 2 x its plan', limit: 2, measured: (planAgainst.medianMs / planAgainst.baselineMs) / (planBig.medianMs / planBig.baselineMs), unit: 'x its plan', seconds: planAgainst.medianMs / 1000 },
  ...examples.map((e) => ({ target: `${e.name} <= 2 x node -e 0`, limit: 2, measured: e.medianMs / e.baselineMs, unit: 'x node -e 0', seconds: e.medianMs / 1000 })),
  { target: 'every rule linear: 5,000 categories left out <= 1.2 x the 10k row', limit: 1.2, measured: (validateLeftOut.medianMs / validateLeftOut.baselineMs) / (validateBig.medianMs / validateBig.baselineMs), unit: 'x the 10k row' },
]
if (applyQuiet !== undefined) {
  targets.push(
    { target: 'apply on a terminal <= 1.1 x --quiet', limit: 1.1, measured: terminalRatio, unit: 'x --quiet' },
    { target: 'the spinner never stalls > 200 ms (longest event-loop stall, terminal run)', limit: 200, measured: applyTerminal.maxStallMs, unit: 'ms' },
    { target: 'apply --reviewed <= 1.1 x apply --quiet (issue 15: the reviewed plan checked as it runs)', limit: 1.1, measured: applyReviewed.medianMs / applyQuiet.medianMs, unit: 'x --quiet' },
    { target: 'lab import >= 90% of the NDJSON -> SQLite limit', limit: 0.9, measured: importRatio, unit: 'of the limit', atLeast: true },
  )
}
const tw = Math.max(...targets.map((t) => t.target.length))
console.log(`\n${'target (issue 14)'.padEnd(tw)}  ${'limit'.padStart(7)}  ${'measured'.padStart(8)}  unit           met`)
for (const t of targets) {
  const met = t.atLeast === true ? t.measured >= t.limit : t.measured <= t.limit
  const secs = t.seconds === undefined ? '' : `  (${t.seconds.toFixed(2)} s here)`
  console.log(`${t.target.padEnd(tw)}  ${t.limit.toFixed(2).padStart(7)}  ${t.measured.toFixed(2).padStart(8)}  ${t.unit.padEnd(13)}  ${met ? 'yes' : 'NO'}${secs}`)
}
console.log(`(baseline node -e 0: ${ms(baseline.medianMs)} ms alone at the start of this run, and run in turns with each command row for its ratio; the issue's machine: ${ISSUE_BASELINE_MS} ms)`)
mkdirSync(join(root, 'bench', 'results'), { recursive: true })
writeFileSync(join(root, 'bench', 'results', 'latest.json'), JSON.stringify({ node: process.version, at: new Date().toISOString(), results, targets }, null, 2))
// The labs and plans above are copies made for this run: a 300k lab is hundreds of MB.
rmSync(dir, { recursive: true, force: true })
