import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../../runner/cli/main.js'
import { ROOT } from '../helpers/cli.js'
import { isPositionedOrSummary, mutate } from '../helpers/plan-mutations.js'

/**
 * The check of issue 13: mutations of the example plans through `main(['validate', file])`, the
 * function bin/cutover.js calls. Every run exits 0 or 1, in under 5 s, and prints only finding
 * lines or summary lines (no stack trace, no line split by a character from the plan, no process
 * warning).
 * The default run takes 1,000 mutations (about 6 s), to keep CI short; CUTOVER_FUZZ_COUNT=3000 (or
 * more) and CUTOVER_FUZZ_SEED run a bigger or another fuzz, e.g.
 *   CUTOVER_FUZZ_COUNT=6000 CUTOVER_FUZZ_SEED=2026 npx vitest run test/unit/validate-fuzz.test.ts
 */
const COUNT = Number(process.env.CUTOVER_FUZZ_COUNT ?? 1000)
const SEED = Number(process.env.CUTOVER_FUZZ_SEED ?? 13)
const LIMIT_MS = 5000

const plans = readdirSync(join(ROOT, 'plans')).filter((f) => f.endsWith('.yaml')).sort().map((f) => readFileSync(join(ROOT, 'plans', f), 'utf8'))
const dir = mkdtempSync(join(tmpdir(), 'cutover-fuzz-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Failure {
  readonly index: number
  readonly why: string
}

async function runOne(index: number): Promise<{ ms: number; code: number; failure?: Failure }> {
  const text = mutate(plans[index % plans.length] ?? '', SEED, index)
  const file = join(dir, `m${index}.yaml`)
  writeFileSync(file, text)
  const lines: string[] = []
  const out = { stdout: (l: string) => lines.push(...l.split('\n')), stderr: (l: string) => lines.push(...l.split('\n')) }
  // A process warning (yaml emits some) is a line on the CLI's stderr that no collector sees.
  const warnings: string[] = []
  const onWarning = (w: Error): void => { warnings.push(w.message) }
  process.on('warning', onWarning)
  const t0 = performance.now()
  const code = await main(['validate', file], out)
  const ms = performance.now() - t0
  // Node emits warnings on the next tick.
  await new Promise((resolve) => setImmediate(resolve))
  process.off('warning', onWarning)
  const bad = lines.find((l) => !isPositionedOrSummary(l, file))
  const why = code !== 0 && code !== 1 ? `exit ${code}` : ms > LIMIT_MS ? `${Math.round(ms)} ms` : bad !== undefined ? `line ${JSON.stringify(bad.slice(0, 200))}`
    : warnings[0] !== undefined ? `process warning ${JSON.stringify(warnings[0].slice(0, 200))}` : undefined
  rmSync(file)
  return why === undefined ? { ms, code } : { ms, code, failure: { index, why } }
}

describe('validate fuzz', () => {
  it(`${COUNT} mutations of plans/*.yaml (seed ${SEED}): exit 0 or 1, under 5 s, every line positioned or a summary`, async () => {
    const failures: Failure[] = []
    let slowest = 0
    let invalid = 0
    for (let i = 0; i < COUNT; i++) {
      const r = await runOne(i)
      slowest = Math.max(slowest, r.ms)
      if (r.code === 1) invalid++
      if (r.failure !== undefined) failures.push(r.failure)
    }
    console.log(`validate fuzz: ${COUNT} mutations, ${invalid} invalid, ${COUNT - invalid} valid, ${failures.length} failures, slowest ${Math.round(slowest)} ms`)
    expect(failures.slice(0, 10)).toEqual([])
    // The mutations must reach the interesting cases, or the fuzz proves nothing.
    expect(invalid).toBeGreaterThan(COUNT / 2)
  }, 600_000)
})
