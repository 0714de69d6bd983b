import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT, runCli } from '../helpers/cli.js'
import { isPositionedOrSummary, mutate } from '../helpers/plan-mutations.js'

/** A few of test/unit/validate-fuzz.test.ts's mutations, and the floods, through the real
 * process: what an admin's terminal or a CI log shows (stdout and stderr, the exit code). */
const plans = readdirSync(join(ROOT, 'plans')).filter((f) => f.endsWith('.yaml')).sort().map((f) => readFileSync(join(ROOT, 'plans', f), 'utf8'))
const base = plans[0] ?? ''
const dir = mkdtempSync(join(tmpdir(), 'cutover-fuzz-cli-'))

const cases: readonly (readonly [string, string])[] = [
  ['2,000 nested [', `${base}x: ${'['.repeat(2000)}${']'.repeat(2000)}\n`],
  ['2,000 nested block mappings', `${base}x:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')} 1\n`],
  ['40,000 stray ]', `${base}x: ${']'.repeat(40_000)}\n`],
  ['a key with CR, NEL, LS and PS', `${base}"a\\rb\\u0085c\\u2028d\\u2029e": 1\n`],
  // toJS stringifies such a key and Node prints its warning on stderr, unpositioned.
  ['a mapping as a key', `${base}{ source: hq, from: General }: x\n`],
  ...Array.from({ length: 16 }, (_, i) => [`mutation ${i} (seed 13)`, mutate(plans[i % plans.length] ?? '', 13, i)] as const),
]

describe('cutover validate on mutated plans (child process)', () => {
  it.each(cases)('%s', async (name, text) => {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.yaml`)
    writeFileSync(file, text)
    const t0 = performance.now()
    const r = await runCli(['validate', file])
    expect(performance.now() - t0).toBeLessThan(5000)
    expect([0, 1]).toContain(r.code)
    const lines = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l !== '')
    expect(lines.length).toBeGreaterThan(0)
    for (const l of lines) expect(isPositionedOrSummary(l, file), l).toBe(true)
  })
})
