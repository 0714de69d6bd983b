// Random SIGKILL of `cutover apply` on the lab (issue 13, "Trust on the night"): runs the lab plan
// killed at random instants, again and again, resuming with `apply` each time, until it ends;
// then compares what it left (the Persistent Chat store, the legacy store, the lab world, the
// copied file store, the export file) with an uninterrupted run of the same lab. Also counts how
// often a resumed run refused (state and journal disagreeing would be a bug here: only kills
// happen) and how many messages the Persistent Chat store ended with.
//
// Not part of CI (a minute or more of real runs). Run once, after `npm run build`:
//   node bench/kill-storm.js [--kills 40] [--rooms 15] [--messages 4000] [--seed 1]
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { clearTimeout, setTimeout } from 'node:timers'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import { createLab } from '../dist/runner/lab/index.js'

const ROOT = join(dirname(new URL(import.meta.url).pathname), '..')
const BIN = join(ROOT, 'bin', 'cutover.js')
const { values } = parseArgs({ options: { kills: { type: 'string', default: '40' }, rooms: { type: 'string', default: '15' }, messages: { type: 'string', default: '4000' }, seed: { type: 'string', default: '1' } } })
const wantedKills = Number(values.kills)
const ENV = { ...process.env, CUTOVER_CRASH_AT: '', CUTOVER_LAB_FAULTS: '', CUTOVER_CLOCK: '' }

// A small deterministic generator, so a run can be repeated with --seed.
let seed = Number(values.seed) >>> 0 || 1
const random = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0
  return seed / 2 ** 32
}

function caseFrom(template) {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-storm-'))
  cpSync(template, join(dir, '.cutover', 'lab'), { recursive: true })
  writeFileSync(join(dir, 'plan.yaml'), readFileSync(join(ROOT, 'plans', 'lab.yaml')))
  return { dir, plan: join(dir, 'plan.yaml'), lab: join(dir, '.cutover', 'lab') }
}

/** Starts `apply`; resolves with its exit (code or signal) and how long it ran. */
function apply(c, killAfterMs) {
  return new Promise((done) => {
    const started = process.hrtime.bigint()
    const child = spawn(process.execPath, [BIN, 'apply', c.plan, '--yes', '--quiet'], { cwd: c.dir, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => { out += d })
    child.stderr.on('data', (d) => { out += d })
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs)
    child.on('exit', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer)
      done({ code, signal, out, ms: Number(process.hrtime.bigint() - started) / 1e6 })
    })
  })
}

function cli(c, args) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: c.dir, env: ENV, encoding: 'utf8' })
}

function tree(dir) {
  const out = {}
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name)
      if (statSync(full).isDirectory()) walk(full)
      else out[relative(dir, full)] = createHash('sha256').update(readFileSync(full)).digest('hex')
    }
  }
  if (existsSync(dir)) walk(dir)
  return out
}

/** What a store holds, without its own ids and GUIDs (as test/helpers/crash.ts digests it). */
function store(file) {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const all = (sql) => db.prepare(sql).all()
    return {
      categories: all('SELECT nodeName, disabled, visibility FROM tblNode WHERE nodeType = 1 AND nodeID <> 1 ORDER BY nodeName'),
      rooms: all('SELECT r.nodeName, c.nodeName AS category, r.disabled, r.visibility, r.behavior, r.invite, r.nodeDesc FROM tblNode r JOIN tblNode c ON c.nodeID = r.parentID WHERE r.nodeType = 0 ORDER BY r.nodeName'),
      roles: all('SELECT n.nodeName AS room, COALESCE(p.prinUri, p.prinName) AS principal, t.rtypeDesc AS role FROM tblPrincipalRole pr JOIN tblNode n ON n.nodeID = pr.prinRoleNodeID JOIN tblPrincipal p ON p.prinID = pr.prinRolePrinID JOIN tblRoleType t ON t.rtypeID = pr.prinRoleTypeID ORDER BY room, principal, role'),
      principals: all('SELECT COALESCE(prinUri, prinName) AS principal, prinDisabled, prinTypeID FROM tblPrincipal ORDER BY principal, prinDisabled, prinTypeID'),
      messages: all('SELECT n.nodeName AS room, CAST(ch.chatDate AS TEXT) AS date, COALESCE(p.prinUri, p.prinName) AS sender, ch.content FROM tblChat ch JOIN tblNode n ON n.nodeID = ch.channelId JOIN tblPrincipal p ON p.prinID = ch.userId ORDER BY n.nodeName, ch.chatId'),
    }
  } finally {
    db.close()
  }
}

function digest(c) {
  const w = JSON.parse(readFileSync(join(c.lab, 'lab.json'), 'utf8'))
  const { servers, pools, databases, users, endpoints, policies, trustedApplicationPools, topology } = w
  const pchat = store(join(c.lab, 'pchat.sqlite'))
  return {
    messages: pchat.messages.length,
    parts: {
      pchat: JSON.stringify(pchat),
      legacy: JSON.stringify(store(join(c.lab, 'legacy.sqlite'))),
      world: JSON.stringify({ servers, pools, databases, users, endpoints, policies, trustedApplicationPools, topology }),
      fileStore: JSON.stringify(tree(join(c.lab, 'files', 'pchat'))),
      exportFile: createHash('sha256').update(readFileSync(join(c.lab, 'export-gc2010.zip'))).digest('hex'),
    },
  }
}

const templateDir = mkdtempSync(join(tmpdir(), 'cutover-storm-lab-'))
await createLab({ dir: templateDir, rooms: Number(values.rooms), messages: Number(values.messages), seed: 1 })

// The uninterrupted reference, and how long it takes (the kills are spread over that time).
const ref = caseFrom(templateDir)
const refRun = await apply(ref)
if (refRun.code !== 0) throw new Error(`the reference run failed: ${refRun.out}`)
const reference = digest(ref)
console.log(`reference: ${refRun.ms.toFixed(0)} ms, ${reference.messages} messages in Persistent Chat`)

const results = []
let kills = 0
while (kills < wantedKills) {
  const c = caseFrom(templateDir)
  const perRun = 1 + Math.floor(random() * 4)
  let killsHere = 0
  let refusals = 0
  let paused = 0
  let settledByHand = 0
  const pausedSteps = new Set()
  let end
  for (let attempt = 0; attempt < 40; attempt++) {
    const kill = killsHere < perRun ? Math.floor(random() * refRun.ms * 1.1) : undefined
    const r = await apply(c, kill)
    if (r.signal === 'SIGKILL') {
      killsHere++
      continue
    }
    if (r.code === 0) { end = 'done'; break }
    if (r.code === 3 && /cutover resolve/.test(r.out)) {
      // A step that cannot run twice and cannot check itself (removing the trusted application
      // pool): the admin settles it. Like an admin who did not look first, try --retry; when the
      // retry then fails because the pool is already gone, it had completed: --done.
      paused++
      const step = /paused at (\S+):/.exec(r.out)?.[1]
      if (step !== undefined) {
        pausedSteps.add(step)
        cli(c, ['resolve', c.plan, step, '--retry'])
      }
      continue
    }
    const failedStep = /error: (\S+) failed: /.exec(r.out)?.[1]
    if (r.code === 1 && failedStep !== undefined && pausedSteps.has(failedStep) && /not found/.test(r.out)) {
      settledByHand++
      pausedSteps.delete(failedStep)
      cli(c, ['resolve', c.plan, failedStep, '--done'])
      continue
    }
    refusals++
    end = `exit ${r.code}: ${r.out.split('\n').find((l) => l.includes('error')) ?? r.out.slice(0, 200)}`
    break
  }
  kills += killsHere
  const d = end === 'done' ? digest(c) : undefined
  const differs = d === undefined ? ['(did not finish)'] : Object.keys(reference.parts).filter((k) => reference.parts[k] !== d.parts[k])
  const status = JSON.parse(cli(c, ['status', c.plan, '--json']).stdout || '{}')
  const journal = readFileSync(join(c.dir, '.cutover', 'lab.journal.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l))
  // What the resumed runs found: a step interrupted (settled, recovered) or a save not yet journaled.
  const found = journal.filter((e) => ['step-settled', 'step-recover', 'journal-restored', 'journal-repaired', 'lock-taken-over'].includes(e.event)).map((e) => e.event)
  const imports = journal.filter((e) => e.event === 'step-done' && e.step === 'cutover.import.gc2010').length
  results.push({ kills: killsHere, end, paused, settledByHand, refusals, messages: d?.messages, differs, disagreement: status.disagreement ?? null, found, imports })
  if (differs.length === 0) rmSync(c.dir, { recursive: true, force: true })
  else console.log(`kept for inspection: ${c.dir}`)
  console.log(`run ${results.length}: ${killsHere} kill(s), ${end ?? 'did not end'}${paused > 0 ? `, ${paused} resolve pause(s)` : ''}; ${differs.length === 0 ? 'equal to the reference' : `differs: ${differs.join(', ')}`}`)
}

const equal = results.filter((r) => r.differs.length === 0).length
console.log('')
console.log(`${kills} SIGKILLs over ${results.length} runs (at random instants within 1.1x the reference's ${refRun.ms.toFixed(0)} ms)`)
console.log(`${equal}/${results.length} runs ended equal to the uninterrupted reference (Persistent Chat store, legacy store, lab world, file store, export file)`)
console.log(`refusals: ${results.reduce((a, r) => a + r.refusals, 0)}; resolve pauses: ${results.reduce((a, r) => a + r.paused, 0)} (settled --done after the retry found the work done: ${results.reduce((a, r) => a + r.settledByHand, 0)}); state/journal disagreements left: ${results.filter((r) => r.disagreement !== null).length}`)
const tally = {}
for (const r of results) for (const f of r.found) tally[f] = (tally[f] ?? 0) + 1
console.log(`what resumed runs found and journaled: ${Object.entries(tally).map(([k, v]) => `${k} ${v}`).join(', ') || 'nothing'}`)
console.log(`import step-done entries per run: ${[...new Set(results.map((r) => r.imports))].join(', ')} (never twice on top of itself: a recovered import restores the backup first)`)
console.log(`Persistent Chat messages per finished run: ${[...new Set(results.map((r) => r.messages))].join(', ')} (reference ${reference.messages})`)
rmSync(templateDir, { recursive: true, force: true })
rmSync(ref.dir, { recursive: true, force: true })
process.exit(equal === results.length ? 0 : 1)
