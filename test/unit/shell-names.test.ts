import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SHELLS } from '../../runner/plan/types.js'
import { ROOT } from '../helpers/cli.js'

/** Where comparing shell names is allowed, and which: the lab runtime (it is the lab) and the
 * plan rules (they check what the plan says) any; the PowerShell runtime the two PowerShells, to
 * pick the executable. Everything else asks the runtime descriptor (runtimes/index.ts). */
const ALLOWED: readonly { readonly folder: string; readonly names: readonly string[] }[] = [
  { folder: 'runner/runtimes/lab/', names: SHELLS },
  { folder: 'runner/plan/rules/', names: SHELLS },
  { folder: 'runner/runtimes/powershell/', names: ['powershell', 'pwsh'] },
]

/** `x.shell === 'lab'`, `shell !== "pwsh"`, `'lab' === plan.environment.shell`, `switch (….shell)`. */
function comparisonOf(names: readonly string[]): RegExp {
  const n = names.join('|')
  return new RegExp(`shell\\s*[!=]==?\\s*['"\`](${n})['"\`]|['"\`](${n})['"\`]\\s*[!=]==?\\s*[\\w.?]*shell\\b|switch\\s*\\([\\w.?]*shell\\)`)
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []))
}

/** `file:line: text` for each comparison of shell names in `text` that its folder may not make. */
function comparisons(file: string, text: string): string[] {
  const allowed = ALLOWED.find((a) => file.startsWith(a.folder))?.names ?? []
  const forbidden = comparisonOf(SHELLS.filter((s) => !allowed.includes(s)))
  return allowed.length === SHELLS.length ? [] : text.split('\n').flatMap((line, i) => (forbidden.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : []))
}

describe('shell names', () => {
  it('are compared nowhere in runner/ outside the lab runtime and the plan rules', () => {
    const found = sources(join(ROOT, 'runner'))
      .map((f) => relative(ROOT, f).replace(/\\/g, '/'))
      .flatMap((f) => comparisons(f, readFileSync(join(ROOT, f), 'utf8')))
    expect(found).toEqual([])
  })

  it('would be caught in the forms the code used to have', () => {
    for (const line of [
      "const sep = plan.environment.shell === 'lab' ? '/' : '\\\\'",
      "if (plan.environment.shell !== 'lab') {",
      "const sep = i.shell === 'lab' ? '/' : '\\\\'",
      "lab: 'lab' === plan.environment.shell,",
      'switch (plan.environment.shell) {',
    ]) expect(comparisons('x.ts', line), line).toHaveLength(1)
    expect(comparisons('x.ts', "if (spec.kind === 'lab') return readLab()")).toEqual([])
    expect(comparisons('runner/runtimes/powershell/host.ts', "if (shell === 'pwsh') return 'pwsh'")).toEqual([])
    expect(comparisons('runner/runtimes/powershell/host.ts', "if (shell === 'lab') return")).toHaveLength(1)
    expect(comparisons('runner/runtimes/lab/host.ts', "if (shell === 'lab') return")).toEqual([])
  })
})
