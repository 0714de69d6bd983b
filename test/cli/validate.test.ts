import { copyFileSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT, runCli } from '../helpers/cli.js'

const examples = readdirSync(join(ROOT, 'plans')).filter((f) => f.endsWith('.yaml')).map((f) => join('plans', f))

function tempPlan(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-validate-'))
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

describe('cutover validate (child process)', () => {
  it('accepts every example plan with exit 0 and no finding', async () => {
    expect(examples.length).toBeGreaterThanOrEqual(2)
    const r = await runCli(['validate', ...examples])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    for (const f of examples) expect(r.stdout).toContain(`${f}: valid\n`)
    expect(r.stdout).not.toMatch(/warning|error/)
  })

  it('prints path:line:col: severity: message [rule] then a summary, and exits 1 on errors', async () => {
    const file = tempPlan('bad.yaml', readFileSync(join(ROOT, 'test/plans/minimal.yaml'), 'utf8').replace('  servers: [gc01.contoso.com]', '  servres: [gc01.contoso.com]'))
    const r = await runCli(['validate', file])
    expect(r.code).toBe(1)
    const lines = r.stdout.trim().split('\n')
    expect(lines[0]).toBe(`${file}:7:5: error: sources[0] is missing 'servers' (FQDNs of the legacy Group Chat servers (services stopped at the start of the downtime; Group Chat uninstalled at decommission)) [schema/required]`)
    expect(lines).toContain(`${file}:10:5: error: unknown key 'servres' in sources[0]; did you mean 'servers'? [schema/unknown-key]`)
    // Semantic rules (and their warnings) wait until the schema is satisfied.
    expect(lines.at(-1)).toBe(`${file}: invalid, 2 errors`)
    expect(r.stderr).toBe('')
  })

  it('--format json prints the findings as a JSON array', async () => {
    const file = tempPlan('tz.yaml', readFileSync(join(ROOT, 'test/plans/minimal.yaml'), 'utf8').replace('America/New_York', 'America/New_Yrok'))
    const r = await runCli(['validate', '--format', 'json', file])
    expect(r.code).toBe(1)
    const findings = JSON.parse(r.stdout) as { rule: string; line: number; column: number; severity: string; file: string; message: string }[]
    const tz = findings.find((f) => f.rule === 'unknown-timezone')
    expect(tz).toMatchObject({ file, line: 24, column: 13, severity: 'error' })
    expect(tz?.message).toContain("did you mean 'America/New_York'?")
  })

  it('--format github prints one workflow annotation per finding, escaped as GitHub requires', async () => {
    const file = tempPlan('gh.yaml', readFileSync(join(ROOT, 'test/plans/minimal.yaml'), 'utf8').replace('America/New_York', 'America/New_Yrok'))
    const r = await runCli(['validate', '--format', 'github', file])
    expect(r.code).toBe(1)
    const lines = r.stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toBe(`::error file=${file},line=24,col=13,title=cutover unknown-timezone::unknown time zone 'America/New_Yrok'; use an IANA name such as America/New_York (did you mean 'America/New_York'?)`)
    const warn = await runCli(['validate', '--format', 'github', 'test/plans/bad/rule-window-length.yaml'])
    expect(warn.code).toBe(0)
    expect(warn.stdout).toMatch(/^::warning file=test\/plans\/bad\/rule-window-length\.yaml,line=23,col=8,title=cutover window-length::/m)
  })

  it('--strict turns warnings into errors', async () => {
    const file = 'test/plans/bad/rule-window-length.yaml'
    const plain = await runCli(['validate', file])
    expect(plain.code).toBe(0)
    expect(plain.stdout).toMatch(/warning: the downtime window lasts .* \[window-length\]/)
    const strict = await runCli(['validate', '--strict', file])
    expect(strict.code).toBe(1)
    expect(strict.stdout).not.toContain('warning:')
    expect(strict.stdout).toMatch(/error: the downtime window lasts .* \[window-length\]/)
  })

  it('exits 2 with one clear line for a missing file, an unknown option, an unknown command, a bad --format', async () => {
    const cases: [string[], RegExp][] = [
      [['validate', 'no/such/plan.yaml'], /^cutover: error: validate: cannot read no\/such\/plan\.yaml: no such file$/m],
      [['validate', '--frmat', 'json', 'plans/contoso-lync2010.yaml'], /^cutover: error: validate: Unknown option '--frmat'$/m],
      [['validat', 'x'], /^cutover: error: unknown command 'validat'/m],
      [['validate', '--format', 'xml', 'plans/contoso-lync2010.yaml'], /^cutover: error: validate: --format must be one of text, json, github \(got 'xml'\)$/m],
      [['validate'], /^cutover: error: validate: name the plan file/m],
      [['validate', 'plans'], /^cutover: error: validate: cannot read plans: it is a folder$/m],
    ]
    for (const [args, pattern] of cases) {
      const r = await runCli(args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stdout, args.join(' ')).toBe('')
      expect(r.stderr, args.join(' ')).toMatch(pattern)
      expect(r.stderr).not.toMatch(/\n\s+at /)
    }
  })

  it('reads the plan and writes nothing: the folder is unchanged after validate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-ro-'))
    copyFileSync(join(ROOT, 'plans/contoso-lync2010.yaml'), join(dir, 'plan.yaml'))
    const before = statSync(join(dir, 'plan.yaml')).mtimeMs
    const r = await runCli(['validate', 'plan.yaml'], { cwd: dir })
    expect(r.code).toBe(0)
    expect(readdirSync(dir)).toEqual(['plan.yaml'])
    expect(statSync(join(dir, 'plan.yaml')).mtimeMs).toBe(before)
  })

  it('reports an empty input such as /dev/null as an empty plan', async () => {
    const r = await runCli(['validate', '/dev/null'])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('/dev/null:1:1: error: the plan is empty')
  })

  it('--version and --help answer fast and exit 0', async () => {
    const v = await runCli(['--version'])
    expect(v.code).toBe(0)
    expect(v.stdout.trim()).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version)
    const h = await runCli(['--help'])
    expect(h.code).toBe(0)
    expect(h.stdout).toContain('validate')
    const vh = await runCli(['validate', '--help'])
    expect(vh.code).toBe(0)
    expect(vh.stdout).toContain('usage: cutover validate')
  })
})
