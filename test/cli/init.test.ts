import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLab } from '../../runner/lab/index.js'
import { validatePlanText } from '../../runner/plan/load.js'
import type { RunState } from '../../runner/state/types.js'
import { runCli } from '../helpers/cli.js'
import type { CliResult } from '../helpers/cli.js'
import type { StatusJson } from '../helpers/case-files.js'
import { outputsOf } from '../../runner/state/records.js'

const made: string[] = []
let template: string

beforeAll(async () => {
  template = mkdtempSync(join(tmpdir(), 'cutover-init-lab-'))
  made.push(template)
  await createLab({ dir: template, rooms: 16, messages: 3000, seed: 1 })
})
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
})

/** A temp folder holding a fresh copy of the small lab in `lab/`. */
function newDir(withLab = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-init-'))
  made.push(dir)
  if (withLab) cpSync(template, join(dir, 'lab'), { recursive: true })
  return dir
}

function cutover(dir: string, args: readonly string[]): Promise<CliResult> {
  return runCli(args, { cwd: dir, env: { CUTOVER_LAB_FAULTS: '', CUTOVER_CLOCK: '', CUTOVER_CRASH_AT: '', TZ: 'UTC' } })
}

const init = (dir: string, ...extra: string[]) => cutover(dir, ['init', '--source', 'lab:lab', '--out', 'plans/x.yaml', '--timezone', 'Europe/Berlin', ...extra])
const errorLines = (r: CliResult) => r.stderr.split('\n').filter((l) => l.startsWith('cutover: error:'))

describe('cutover init (child process)', () => {
  it('writes a plan from the lab that validates and migrates the whole lab as written', async () => {
    const dir = newDir()
    const r = await init(dir)
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/^cutover: wrote plans\/x\.yaml: 14 categories \(1 left out of the export\), 16 rooms \(\d+ flagged: \d+ in rooms\.map, the others in its comments by reason\)/m)
    const text = readFileSync(join(dir, 'plans', 'x.yaml'), 'utf8')
    expect(text).toContain('shell: lab')
    expect(text).toContain('workDir: ../lab')
    expect(text).toContain('# → Engineering Build Nightly ‘core’ builds')
    expect(text).toMatch(/timezone: Europe\/Berlin/)

    const validate = await cutover(dir, ['validate', 'plans/x.yaml'])
    expect(validate.stdout).toMatch(/^plans\/x\.yaml: valid/m)
    expect(validate.code).toBe(0)

    // The lab clock starts at the window's opening: the placeholder window is where it runs.
    const apply = await cutover(dir, ['apply', 'plans/x.yaml', '--yes'])
    expect(apply.stderr).toBe('')
    expect(apply.code).toBe(0)
    expect(apply.stdout).toContain('cutover: gc2010-migration is done')
    const status = JSON.parse((await cutover(dir, ['status', 'plans/x.yaml', '--json'])).stdout) as StatusJson
    expect(status.steps.find((s) => s.id === 'cutover.verify')?.status).toBe('done')
    expect(status.steps.every((s) => s.status === 'done')).toBe(true)
    const state = JSON.parse(readFileSync(join(dir, 'plans', '.cutover', 'gc2010-migration.state.json'), 'utf8')) as RunState
    expect(outputsOf(state.steps['cutover.verify'])).toMatchObject({ differences: 0 })
    const report = readFileSync(join(dir, 'plans', '.cutover', 'gc2010-migration', 'report.md'), 'utf8')
    expect(report).toContain('## Verification')
    expect(report).not.toContain('❌')
  }, 120_000)

  it('never overwrites a plan without --force: one line, exit 1, the file unchanged byte for byte', async () => {
    const dir = newDir()
    mkdirSync(join(dir, 'plans'))
    const mine = Buffer.from('# my plan, edited by hand\nversion: 1\n\u00e9\r\n')
    writeFileSync(join(dir, 'plans', 'x.yaml'), mine)
    const refused = await init(dir)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toBe('cutover: error: plans/x.yaml already exists; use --force to replace it, or --out to write the plan elsewhere\n')
    expect(readFileSync(join(dir, 'plans', 'x.yaml')).equals(mine)).toBe(true)
    expect(existsSync(join(dir, 'plans', '.gitignore'))).toBe(false)

    const forced = await init(dir, '--force')
    expect(forced.code).toBe(0)
    expect(readFileSync(join(dir, 'plans', 'x.yaml'), 'utf8')).toMatch(/^version: 1$/m)
  })

  it('creates a .gitignore beside the plan, appends to one that lacks .cutover/, leaves one that has it', async () => {
    const created = newDir()
    const r1 = await init(created)
    expect(readFileSync(join(created, 'plans', '.gitignore'), 'utf8')).toBe('.cutover/\n')
    expect(r1.stderr).toMatch(/cutover: created plans\/\.gitignore with \.cutover\//)

    const appended = newDir()
    mkdirSync(join(appended, 'plans'))
    writeFileSync(join(appended, 'plans', '.gitignore'), 'node_modules/\n*.log')
    const r2 = await init(appended)
    expect(readFileSync(join(appended, 'plans', '.gitignore'), 'utf8')).toBe('node_modules/\n*.log\n.cutover/\n')
    expect(r2.stderr).toMatch(/cutover: added \.cutover\/ to plans\/\.gitignore/)

    const kept = newDir()
    mkdirSync(join(kept, 'plans'))
    writeFileSync(join(kept, 'plans', '.gitignore'), '# state\n.cutover\n')
    const r3 = await init(kept)
    expect(readFileSync(join(kept, 'plans', '.gitignore'), 'utf8')).toBe('# state\n.cutover\n')
    expect(r3.stderr).toMatch(/cutover: plans\/\.gitignore already ignores \.cutover\//)
    for (const r of [r1, r2, r3]) expect(r.code).toBe(0)
  })

  it('prints the plan on stdout without --out, and writes no file', async () => {
    const dir = newDir()
    const r = await cutover(dir, ['init', '--source', 'lab:lab', '--name', 'from-stdout'])
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/^cutover: plan written to stdout/m)
    const check = validatePlanText(r.stdout, 'stdout.yaml')
    expect(check.findings.filter((f) => f.severity === 'error')).toEqual([])
    expect(check.plan?.name).toBe('from-stdout')
    expect(check.plan?.environment.workDir).toBe('lab')
    expect(readdirSync(dir)).toEqual(['lab'])
  })

  it('--lookup-account names the Lookup Server account and endpoint, and its SIP domain decides who is federated', async () => {
    // The rooms with federated members migrate as they are: one group in the comments, with its count.
    const federated = (text: string) => Number(/(\d+) room\(s\) with roles held by federated users/.exec(text.replace(/\n\s*# /g, ' '))?.[1] ?? 0)
    const dir = newDir()
    const byDefault = await cutover(dir, ['init', '--source', 'lab:lab'])
    const other = await cutover(dir, ['init', '--source', 'lab:lab', '--lookup-account', 'sip:ocschat@fabrikam.com'])
    expect(other.code).toBe(0)
    const plan = validatePlanText(other.stdout, 'stdout.yaml').plan
    expect(plan?.sources[0]?.lookupAccount).toBe('sip:ocschat@fabrikam.com')
    expect(plan?.legacyClients?.endpoint).toBe('sip:ocschat@fabrikam.com')
    // Seen from fabrikam.com, the lab's own users are the federated ones: more rooms have them.
    expect(federated(byDefault.stdout)).toBeGreaterThan(0)
    expect(federated(other.stdout)).toBeGreaterThan(federated(byDefault.stdout))
  })

  describe('bad input: one clear line, a non-zero exit, no file written', () => {
    const cases: readonly { name: string; args: readonly string[]; code: number; line: RegExp; lab?: boolean }[] = [
      { name: 'unknown --product', args: ['--source', 'lab:lab', '--product', 'lync2013'], code: 2, line: /--product must be one of lync2010-groupchat, ocs2007r2-groupchat \(got 'lync2013'\)/ },
      { name: 'missing --source', args: [], code: 2, line: /name the legacy store with --source/ },
      { name: 'a lab: folder without a lab', args: ['--source', 'lab:nolab'], code: 1, line: /no lab in nolab \(no lab\.json\); create one with: cutover lab init --dir nolab/, lab: false },
      { name: 'a bad --name', args: ['--source', 'lab:lab', '--name', 'Bad Name'], code: 2, line: /--name 'Bad Name' is not valid: lowercase letters/ },
      { name: 'an unknown --timezone', args: ['--source', 'lab:lab', '--timezone', 'Europe/Berln'], code: 2, line: /not an IANA time zone \(did you mean 'Europe\/Berlin'\?\)/ },
      { name: 'a --lookup-account that is no SIP address', args: ['--source', 'lab:lab', '--lookup-account', 'ocschat@contoso.com'], code: 2, line: /--lookup-account 'ocschat@contoso\.com' is not a SIP address; write it as sip:user@domain/ },
      { name: 'a connection string naming no server', args: ['--source', 'Password=Sup3r-Secret;Database=GroupChat'], code: 2, line: /names no server/ },
    ]
    for (const c of cases) {
      it(c.name, async () => {
        const dir = newDir(c.lab ?? true)
        const r = await cutover(dir, ['init', ...c.args, '--out', 'plans/x.yaml'])
        expect(r.code).toBe(c.code)
        const lines = errorLines(r)
        expect(lines).toHaveLength(1)
        expect(lines[0]).toMatch(c.line)
        expect(r.stderr).not.toContain('Sup3r-Secret')
        expect(existsSync(join(dir, 'plans'))).toBe(false)
      })
    }

    it('an unreachable store: its password is never shown, and nothing is written', async () => {
      const dir = newDir(false)
      const r = await cutover(dir, ['init', '--source', 'Server=127.0.0.1,1;Database=GroupChat;User Id=cutover;Password=Sup3r-Secret', '--out', 'plans/x.yaml'])
      expect(r.code).toBe(1)
      expect(errorLines(r)).toHaveLength(1)
      expect(r.stderr).not.toContain('Sup3r-Secret')
      expect(existsSync(join(dir, 'plans'))).toBe(false)
    }, 60_000)
  })
})
