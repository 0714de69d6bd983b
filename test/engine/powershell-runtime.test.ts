/**
 * The runtime of `environment.shell: powershell | pwsh`, against the stand-in shell (no Windows
 * PowerShell runs here): the script the shell is given is exactly the step's rendered script, or,
 * with environment.remote, a launcher that runs that script on the Lync server; stores it cannot
 * read fail with one line that names them and no secret.
 */
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compile } from '../../runner/compile/compile.js'
import { powershellRuntime } from '../../runner/runtimes/powershell/runtime.js'
import { Secrets } from '../../runner/plan/secrets.js'
import type { Command } from '../../runner/core/command.js'
import type { PowerShellHost } from '../../runner/runtimes/powershell/host.js'
import type { Plan } from '../../runner/plan/types.js'
import { renderScript } from '../../runner/runtimes/powershell/script.js'
import type { Backups } from '../../runner/core/backups.js'
import type { Step } from '../../runner/core/step.js'
import { platformOf } from '../../runner/runtimes/index.js'
import { NOTHING_KNOWN } from '../../runner/steps/define.js'
import { kindNamed } from '../../runner/steps/registry.js'
import { makeStandin } from '../hosts/standin.js'
import type { Standin } from '../hosts/standin.js'
import { outsideRanges, parseScript, powershellParser } from '../render/powershell-tree.js'
import { loadPlan } from '../render/rendered.js'

let standin: Standin
beforeAll(async () => {
  standin = await makeStandin()
})
afterAll(async () => {
  await standin.remove()
})

const OK = (n: number) => JSON.stringify({ ok: true, results: Array.from({ length: n }, () => ({ output: ['done'] })) })
const NO_BACKUPS: Backups = {
  backup: () => Promise.reject(new Error('no backups in this test')),
  restore: () => Promise.reject(new Error('no backups in this test')),
}

function commandsOf(step: Step, plan: Plan): Command[] {
  const kind = kindNamed(step.kind)
  if (kind === undefined) throw new Error(step.kind)
  return kind.preview(step, NOTHING_KNOWN, platformOf(plan)).flatMap((a) => (a.type === 'commands' ? [...a.commands] : []))
}

async function setup(plan: Plan, artifactsName = 'artifacts') {
  const work = await mkdtemp(join(tmpdir(), 'cutover-psrt-'))
  const copies = join(work, 'received')
  await mkdir(copies)
  const steps = compile(plan, platformOf(plan))
  const commands = commandsOf(steps.find((s) => s.id === 'prepare.workdir') as Step, plan)
  const artifactsDir = join(work, artifactsName)
  const runtime = powershellRuntime({
    plan, steps, artifactsDir, secrets: new Secrets({}), shell: standin.shell, backups: NO_BACKUPS,
    env: { ...standin.env, STANDIN_COPY_DIR: copies, STANDIN_RESULT: OK(commands.length) },
  })
  return { work, copies, steps, commands, artifactsDir, runtime }
}

const withoutRemote = (t: string) => t.replace(/^ {2}remote: .*$/m, '')

describe('powershellRuntime: the host runs the rendered scripts', () => {
  it('without environment.remote, the shell is given the step script itself, byte for byte what renderScript makes (with a BOM)', async () => {
    const plan = loadPlan('plans/contoso-lync2010.yaml', withoutRemote)
    expect(plan.environment.remote).toBeUndefined()
    const { work, copies, steps, commands, artifactsDir, runtime } = await setup(plan)
    try {
      const log: string[] = []
      const results = await runtime.host.run(commands, { stepId: 'prepare.workdir', progress: () => undefined, log: (l) => log.push(l) })
      expect(results).toHaveLength(commands.length)
      expect(await readdir(copies)).toEqual(['prepare.workdir-1.ps1'])
      const received = await readFile(join(copies, 'prepare.workdir-1.ps1'), 'utf8')
      const step = steps.find((s) => s.id === 'prepare.workdir') as Step
      expect(received).toBe(`\uFEFF${renderScript(step, plan, commands)}`)
      // The admin can read what ran: the same file stays under the artifacts.
      expect(await readFile(join(artifactsDir, 'scripts', 'prepare.workdir-1.ps1'), 'utf8')).toBe(received)
      expect(log[0]).toContain(join(artifactsDir, 'scripts', 'prepare.workdir-1.ps1'))
    } finally {
      await runtime.close()
      await rm(work, { recursive: true, force: true })
    }
  })

  it('with environment.remote, the shell is given a launcher that runs the step script on that server, every value quoted', async () => {
    const plan = loadPlan('plans/contoso-lync2010.yaml')
    expect(plan.environment.remote).toBe('lyncfe01.contoso.com')
    // A workstation folder with quotes PowerShell knows and tree-sitter does not.
    const { work, copies, commands, artifactsDir, runtime } = await setup(plan, "O'Brien ’s ‘run‚‛ $(x) `n")
    try {
      await expect(runtime.host.run(commands, { stepId: 'prepare.workdir', progress: () => undefined, log: () => undefined })).resolves.toHaveLength(commands.length)
      expect((await readdir(copies)).sort()).toEqual(['prepare.workdir.remote-1.ps1'])
      const launcher = (await readFile(join(copies, 'prepare.workdir.remote-1.ps1'), 'utf8')).replace(/^\uFEFF/, '')
      const stepScript = join(artifactsDir, 'scripts', 'prepare.workdir-1.ps1')
      // The step script itself was written beside it, for Invoke-Command -FilePath to send.
      await expect(readFile(stepScript, 'utf8')).resolves.toContain('New-Item')

      const parsed = parseScript(await powershellParser(), launcher)
      expect(parsed.problems).toEqual([])
      expect(parsed.forbidden).toEqual({})
      // The example plan opens a CredSSP session, with a credential made from the environment.
      expect(parsed.commands).toEqual(['New-Object', 'ConvertTo-SecureString', 'New-PSSession', 'ConvertTo-Json', 'Write-Output', 'Invoke-Command', 'Remove-PSSession'])
      // The path, with every quote doubled, is inside one literal and nowhere else.
      const quoted = stepScript.replace(/['‘’‚‛]/g, (q) => q + q)
      expect(launcher).toContain(`-FilePath '${quoted}'`)
      expect(outsideRanges(launcher, quoted, parsed.literals)).toEqual([])
      expect(outsideRanges(launcher, 'lyncfe01.contoso.com', parsed.literals).length).toBe(1) // the comment line names it too
    } finally {
      await runtime.close()
      await rm(work, { recursive: true, force: true })
    }
  })
})

describe('powershellRuntime: the script timeout', () => {
  it('is environment.scriptTimeout: 2h by default, what the plan says otherwise', async () => {
    const byDefault = await setup(loadPlan('plans/contoso-lync2010.yaml', (t) => t.replace(/^ {2}scriptTimeout: .*$/m, '')))
    const set = await setup(loadPlan('plans/contoso-lync2010.yaml', (t) => t.replace(/^ {2}scriptTimeout: .*$/m, '  scriptTimeout: 1h30m')))
    try {
      expect((byDefault.runtime.host as PowerShellHost).timeoutMs).toBe(2 * 60 * 60_000)
      expect((set.runtime.host as PowerShellHost).timeoutMs).toBe(90 * 60_000)
    } finally {
      for (const s of [byDefault, set]) {
        await s.runtime.close()
        await rm(s.work, { recursive: true, force: true })
      }
    }
  })
})

describe('powershellRuntime: reading the stores', () => {
  it('a store without a connection fails naming the plan field and the store', async () => {
    const plan = loadPlan('plans/contoso-lync2010.yaml', (t) => t.replace(/^ {2}connection: .*$/m, ''))
    const { work, runtime } = await setup(plan)
    try {
      await expect(runtime.sql({ kind: 'target' })).rejects.toThrow(/^target\.connection is not set: cutover must read the Persistent Chat store \(.*\); add connection: \$\{env:NAME\}$/)
    } finally {
      await runtime.close()
      await rm(work, { recursive: true, force: true })
    }
  })

  it('an unset ${env:NAME} names the variable, and a second try asks again (nothing failed is cached)', async () => {
    const plan = loadPlan('plans/contoso-lync2010.yaml')
    const { work, runtime } = await setup(plan)
    try {
      const source = plan.sources[0]?.id ?? ''
      await expect(runtime.sql({ kind: 'source', id: source })).rejects.toThrow(/environment variable GC_SQL is not set/)
      await expect(runtime.sql({ kind: 'source', id: source })).rejects.toThrow(/environment variable GC_SQL is not set/)
    } finally {
      await runtime.close()
      await rm(work, { recursive: true, force: true })
    }
  })
})
