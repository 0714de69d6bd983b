import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { psString } from '../../runner/runtimes/powershell/quote.js'
import { renderRemoteLauncher } from '../../runner/runtimes/powershell/remote.js'
import { pwshForSuite } from '../pwsh/locate.js'
import { HOSTILE_PLAN, PLAN_FILES, loadPlan, planStrings, renderPlan } from './rendered.js'

/**
 * The real PowerShell parser (test/pwsh/locate.ts finds pwsh: CI installs it; CUTOVER_TEST_PWSH
 * may name another, e.g. powershell.exe). tree-sitter's grammar does not know the four typographic
 * single quotes; this test is where PowerShell itself confirms that doubling them round-trips.
 */
let PWSH = ''

const BOM = '\uFEFF'

function run(script: string, args: readonly string[], dir: string): string {
  const file = join(dir, `run-${Math.random().toString(36).slice(2)}.ps1`)
  // A BOM: Windows PowerShell 5.1 reads a BOM-less script in the ANSI code page.
  writeFileSync(file, BOM + script)
  const r = spawnSync(PWSH, ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', file, ...args], { encoding: 'utf8', timeout: 120_000 })
  if (r.error !== undefined) throw r.error
  if (r.status !== 0) throw new Error(`PowerShell exited ${String(r.status)}: ${r.stderr}`)
  return r.stdout
}

/** Prints one JSON line (ASCII only) per file: its parse errors and its single-quoted literals' values. */
const PARSE_FILES = String.raw`
param([string]$Dir)
$ErrorActionPreference = 'Stop'
foreach ($file in @(Get-ChildItem -LiteralPath $Dir -Filter 'script-*.ps1')) {
  $errors = $null
  $ast = [System.Management.Automation.Language.Parser]::ParseFile($file.FullName, [ref]$null, [ref]$errors)
  $literals = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.StringConstantExpressionAst] -and $n.StringConstantType -eq 'SingleQuoted' }, $true) | ForEach-Object { $_.Value })
  $json = ConvertTo-Json -Compress -Depth 4 -InputObject ([ordered]@{ file = $file.Name; errors = @(@($errors) | ForEach-Object { $_.Message }); literals = $literals })
  [regex]::Replace($json, '[^\u0020-\u007E]', { param($m) '\u{0:x4}' -f [int][char]$m.Value })
}
`

describe('the real PowerShell parser', () => {
  const found = pwshForSuite('test/render/pwsh.test.ts')
  if (found === undefined) return
  PWSH = found
  const dir = mkdtempSync(join(tmpdir(), 'cutover-pwsh-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('parses every rendered script with no error, and reads the hostile values back from its literals', () => {
    const scripts = PLAN_FILES.flatMap((f) => renderPlan(f))
    scripts.forEach((s, i) => writeFileSync(join(dir, `script-${String(i).padStart(4, '0')}.ps1`), BOM + s.text))
    const lines = run(PARSE_FILES, [dir], dir).split(/\r?\n/).filter((l) => l.startsWith('{'))
    expect(lines).toHaveLength(scripts.length)
    const parsed = lines.map((l) => JSON.parse(l) as { file: string; errors: string[]; literals: string[] | string | null })
    for (const p of parsed) expect(p.errors, p.file).toEqual([])
    const literals = new Set(parsed.flatMap((p) => (Array.isArray(p.literals) ? p.literals : p.literals === null ? [] : [p.literals])))
    const plan = loadPlan(HOSTILE_PLAN)
    const values = new Map(planStrings(plan))
    for (const path of ['environment.workDir', 'rooms.map[0].rename', 'rooms.map[0].description', 'rooms.categories[0].to', 'clients.enablePolicy', 'legacyClients.displayName', 'decommission[3].powershell.script']) {
      const v = values.get(path) ?? ''
      expect([...literals].some((l) => l.includes(v)), path).toBe(true)
    }
  })

  it('parses the remote launcher with a hostile script path, and reads the path and server back', () => {
    const remoteDir = mkdtempSync(join(tmpdir(), 'cutover-pwsh-remote-'))
    try {
      const scriptPath = "C:\\Users\\O'Brien ’s ‘run‚‛ $(x) `n\\prepare.workdir-1.ps1"
      writeFileSync(join(remoteDir, 'script-remote.ps1'), BOM + renderRemoteLauncher(loadPlan('plans/contoso-lync2010.yaml'), { id: 'prepare.workdir' }, scriptPath))
      const [line] = run(PARSE_FILES, [remoteDir], remoteDir).split(/\r?\n/).filter((l) => l.startsWith('{'))
      const parsed = JSON.parse(line ?? '{}') as { errors: string[]; literals: string[] }
      expect(parsed.errors).toEqual([])
      expect(parsed.literals).toContain(scriptPath)
      expect(parsed.literals).toContain('lyncfe01.contoso.com')
    } finally {
      rmSync(remoteDir, { recursive: true, force: true })
    }
  })

  it('round-trips a literal with each of the five single-quote characters (Write-Output prints the value)', () => {
    const values = ["'", '\u2018', '\u2019', '\u201A', '\u201B', "a'b\u2018c\u2019d\u201Ae\u201Bf", "''\u2019\u2019", "O'Brien’s ‘Team’ \"$(Get-Date)\" `whoami` 東京\nnext\tline"]
    // Code points, not text: no console encoding can blur the comparison.
    const script = values.map((v) => `Write-Output (([int[]][char[]](${psString(v, 'test')})) -join ',')`).join('\n')
    const out = run(script, [], dir).split(/\r?\n/).filter((l) => l !== '')
    expect(out).toEqual(values.map((v) => Array.from({ length: v.length }, (_, i) => v.charCodeAt(i)).join(',')))
  })
})
