import type { Command } from '../../core/command.js'
import type { CommandResult, Host } from '../../core/host.js'
import type { SqlClient } from '../../core/sql-client.js'
import { stepId } from '../../core/step.js'
import type { StepId, StoreRole } from '../../core/step.js'
import { legacyServices, targetServices } from '../../plan/defaults.js'
import type { Plan } from '../../plan/types.js'
import { PERMISSIONS } from '../../sql/queries.js'
import { writeArtifact } from '../artifacts.js'
import { defineStep, makeStep } from '../define.js'
import { instanceHost, placementOf, shareHost, winrmMachines } from '../placement.js'

/**
 * The readiness check (issue 11, item 12): read-only, before the window, against the real
 * servers (or the lab), one finding per problem with what to run. It runs as the first preflight
 * step and on its own (`cutover check <plan>`). Whatever it reads is in its input, from the plan:
 * it changes nothing, and reads other kinds' settings (service names, lookup accounts) only
 * through the plan.
 */

export type ReadinessStore = {
  /** `target` or the source id. */
  readonly store: string
  readonly label: string
  readonly instance: string
  readonly database: string
  readonly backupDirectory: string | null
}

export type ReadinessGroup = {
  /** Any of these groups will do (the documented group, and its documented alternative). */
  readonly anyOf: readonly string[]
  /** The steps that need it and why. */
  readonly why: string
}

export type ReadinessInput = {
  readonly pool: string
  readonly targetServers: readonly string[]
  readonly targetServices: readonly string[]
  readonly sources: readonly { readonly id: string; readonly pool: string; readonly servers: readonly string[]; readonly services: readonly string[]; readonly lookupAccount: string }[]
  readonly stores: readonly ReadinessStore[]
  /** Machines reached through WinRM: each must answer Test-WSMan. */
  readonly winrm: readonly string[]
  /** Second hops Windows will refuse (environment.remote with Kerberos): known before any I/O. */
  readonly refusedHops: readonly string[]
  readonly groups: readonly ReadinessGroup[]
}

/** One problem the check found, and what to run about it. */
export interface ReadinessFinding {
  /** Which check: pool, services, lookup-account, forest, service-name, winrm, second-hop, backup-folder, backup-space, sql-permission, admin-group. */
  readonly check: string
  readonly problem: string
  readonly fix: string
}

export function readinessId(): StepId<'readiness'> {
  return stepId('readiness', 'preflight.readiness')
}

/** The fixed function of templates/readiness.ps1.hbs that lists the groups of the account the
 * script runs as (the token's groups, as DOMAIN\name). */
export const GROUPS_FUNCTION = 'Get-CutoverGroupMembership'

/** What the steps need, in groups (docs/security.md#what-each-step-needs). The same for every
 * plan: the input must not change when only the decommission list does, or the done check would
 * stop a later apply as "changed" (publishing the topology is the documented step 12 either way). */
function groupsOf(): ReadinessGroup[] {
  return [
    { anyOf: ['CsPersistentChatAdministrator', 'RTCUniversalServerAdmins'], why: 'Export-/Import-CsPersistentChatData and the room, endpoint and policy cmdlets' },
    { anyOf: ['RTCUniversalUserAdmins'], why: 'Disable-CsUser of the Lookup Server account (cutover.lookup-account)' },
    { anyOf: ['RTCUniversalServerAdmins', 'Domain Admins'], why: 'Enable-CsTopology after Remove-CsTrustedApplicationPool (decommission: remove-trusted-application; RTCUniversalServerAdmins once Set-CsSetupPermission has run, else a domain administrator)' },
  ]
}

/** The refused second hops of the plan, one per machine and what it is, from the commands the
 * cutover sends (the same rule the preview applies per command). */
function refusedHopsOf(plan: Plan): string[] {
  const env = plan.environment
  if (env.remote === undefined || env.remoting?.authentication === 'credssp') return []
  const probes: Command[] = [
    ...plan.sources.flatMap((s): Command[] => [
      ...s.servers.map((server): Command => ({ cmdlet: 'Stop-Service', params: [], computer: server })),
      { cmdlet: 'Export-CsPersistentChatData', params: [['DBInstance', s.database.instance]] },
      ...(s.fileStore === undefined ? [] : [{ cmdlet: 'Copy-Item', params: [['Path', s.fileStore]] } satisfies Command]),
    ]),
    { cmdlet: 'Import-CsPersistentChatData', params: [['DBInstance', plan.target.database.instance]] },
    ...(plan.target.fileStore === undefined ? [] : [{ cmdlet: 'Copy-Item', params: [['Destination', plan.target.fileStore]] } satisfies Command]),
    ...plan.target.servers.map((server): Command => ({ cmdlet: 'Stop-CsWindowsService', params: [['ComputerName', server]] })),
    { cmdlet: 'Disable-CsUser', params: [] },
  ]
  const out: string[] = []
  for (const c of probes) {
    const p = placementOf(c, env)
    if (p.refused === undefined) continue
    const what = c.computer !== undefined ? `${c.computer} (Invoke-Command: ${c.cmdlet} of stop-legacy)` : p.reaches.map((r) => `${r.machine} (${r.what}: ${c.cmdlet})`).join(', ')
    if (!out.includes(what)) out.push(what)
  }
  return out
}

function storesOf(plan: Plan): ReadinessStore[] {
  return [
    ...plan.sources.map((s): ReadinessStore => ({ store: s.id, label: `the Group Chat store of ${s.id}`, instance: s.database.instance, database: s.database.name, backupDirectory: s.database.backupDirectory ?? null })),
    { store: 'target', label: 'the Persistent Chat store', instance: plan.target.database.instance, database: plan.target.database.name, backupDirectory: plan.target.database.backupDirectory ?? null },
  ]
}

/** The input of the readiness step (and of `cutover check`), from the plan. */
export function readinessInput(plan: Plan): ReadinessInput {
  const stores = storesOf(plan)
  // Backup folders on the SQL Server machine (not a share) are read there, through Invoke-Command.
  const sqlHosts = stores.filter((s) => s.backupDirectory !== null && shareHost(s.backupDirectory) === undefined).map((s): Command => ({ cmdlet: 'Get-Item', params: [], computer: instanceHost(s.instance) }))
  const legacy = plan.sources.flatMap((s) => s.servers.map((server): Command => ({ cmdlet: 'Get-Service', params: [], computer: server })))
  return {
    pool: plan.target.pool,
    targetServers: [...plan.target.servers],
    targetServices: [...targetServices(plan.target)],
    sources: plan.sources.map((s) => ({ id: s.id, pool: s.pool, servers: [...s.servers], services: [...legacyServices(s)], lookupAccount: s.lookupAccount })),
    stores,
    winrm: winrmMachines([...legacy, ...sqlHosts], { ...plan.environment, remote: undefined }),
    refusedHops: refusedHopsOf(plan),
    groups: groupsOf(),
  }
}

/** A read-only command and how its answer becomes findings. */
interface Probe {
  readonly command: Command
  judge(result: CommandResult | Error): ReadinessFinding[]
  /** What the run did on purpose that makes this probe's problem expected: said as a note
   * instead of the findings (`cutover check` after the cutover). */
  readonly planned?: string
}

/** What the run has done on purpose, from its state (`cutover check` once steps are done): the
 * Lookup Server accounts a done lookup-account step disabled, and the legacy pools a done
 * decommission step removed, each with that step's id. Their absence is then as planned. */
export interface DoneOnPurpose {
  readonly lookupDisabled: ReadonlyMap<string, string>
  readonly poolsRemoved: ReadonlyMap<string, string>
}

/** The command as the host receives it: a probe, whose failure comes back as data.failed. */
const asProbe = (c: Command): Command => ({ ...c, probe: true })

/** The `planned` note of a probe when the step that explains its problem is done. */
const ifDone = (step: string | undefined, note: (step: string) => string): { planned?: string } => (step === undefined ? {} : { planned: note(step) })

const firstLine = (e: Error) => (e.message.split('\n')[0] ?? '').slice(0, 300)
const driveOf = (path: string) => /^([A-Za-z]):/.exec(path)?.[1]
const GB = 1024 ** 3
const gb = (bytes: number) => `${(bytes / GB).toFixed(1)} GB`

function probes(i: ReadinessInput, done: DoneOnPurpose | undefined): Probe[] {
  const out: Probe[] = []
  const missing = (check: string, problem: (e?: Error) => string, fix: string) => (r: CommandResult | Error): ReadinessFinding[] => {
    if (r instanceof Error) return [{ check, problem: problem(r), fix }]
    return r.output.length === 0 ? [{ check, problem: problem(), fix }] : []
  }
  for (const machine of i.winrm) {
    out.push({
      command: { cmdlet: 'Test-WSMan', params: [['ComputerName', machine]] },
      judge: missing('winrm', (e) => `${machine} does not answer WinRM (Test-WSMan${e === undefined ? '' : `: ${firstLine(e)}`}); cutover reaches it through Invoke-Command`, `on ${machine}, as an administrator: Enable-PSRemoting -Force (Windows Server 2008 R2 has remoting off by default), then Test-WSMan -ComputerName ${machine}`),
    })
  }
  out.push({
    command: { cmdlet: 'Get-CsPool', params: [['Identity', i.pool]] },
    judge: missing('pool', () => `the Persistent Chat pool ${i.pool} is not in the topology (Get-CsPool)`, 'add the Persistent Chat pool in Topology Builder and publish the topology, or correct target.pool'),
  })
  out.push({
    command: { cmdlet: 'Get-CsService', params: [['PersistentChatServer', { switch: true }], ['PoolFqdn', i.pool]] },
    judge: missing('services', () => `no Persistent Chat Server service is defined on ${i.pool} (Get-CsService -PersistentChatServer)`, `deploy Persistent Chat on ${i.targetServers.join(', ')} (Topology Builder, then Lync Server Deployment Wizard on each server)`),
  })
  for (const server of i.targetServers) {
    for (const name of i.targetServices) {
      out.push({
        command: { cmdlet: 'Get-CsWindowsService', params: [['Name', name], ['ComputerName', server]] },
        judge: missing('service-name', (e) => `service ${name} does not exist on ${server}${e === undefined ? '' : ` (${firstLine(e)})`}`, `on ${server}: Get-CsWindowsService, then write the Persistent Chat service's name under target.services`),
      })
    }
  }
  for (const s of i.sources) {
    out.push({
      command: { cmdlet: 'Get-CsTrustedApplicationPool', params: [['Identity', s.pool]] },
      judge: missing('forest', () => `the Group Chat pool ${s.pool} (${s.id}) is not a trusted application pool of this Lync deployment: it may be in another Active Directory forest (the migration works only within one forest), or the name is wrong`, `Get-CsTrustedApplicationPool on the Lync server; confirm the forest of ${s.servers.join(', ')} with (Get-WmiObject Win32_ComputerSystem).Domain and correct sources[${s.id}].pool`),
      ...ifDone(done?.poolsRemoved.get(s.pool), (step) => `the Group Chat pool ${s.pool} (${s.id}) is no longer a trusted application pool: removed as planned (${step} is done)`),
    })
    out.push({
      command: { cmdlet: 'Get-CsUser', params: [['Identity', s.lookupAccount]] },
      judge: missing('lookup-account', (e) => `the Lookup Server account ${s.lookupAccount} (${s.id}) is not found (Get-CsUser${e === undefined ? '' : `: ${firstLine(e)}`})`, `Get-CsUser -Identity ${s.lookupAccount}; correct sources[${s.id}].lookupAccount to the Group Chat lookup account legacy clients sign in to`),
      // Disable-CsUser leaves no Lync user: Get-CsUser then finds none (docs/microsoft-facts.md#facts-from-the-review).
      ...ifDone(done?.lookupDisabled.get(s.lookupAccount), (step) => `the Lookup Server account ${s.lookupAccount} (${s.id}) is disabled as planned (${step} is done): Get-CsUser no longer finds it`),
    })
    for (const server of s.servers) {
      for (const name of s.services) {
        out.push({
          command: { cmdlet: 'Get-Service', params: [['Name', name]], computer: server },
          judge: missing('service-name', (e) => `service ${name} does not exist on ${server} (${s.id})${e === undefined ? '' : `: ${firstLine(e)}`}`, `on ${server}: Get-Service, then write the Group Chat services' exact names under sources[${s.id}].services`),
        })
      }
    }
  }
  out.push({
    command: { cmdlet: GROUPS_FUNCTION, params: [] },
    judge(r) {
      if (r instanceof Error) return [{ check: 'admin-group', problem: `cannot read the groups of the account the scripts run as: ${firstLine(r)}`, fix: 'whoami /groups on the Lync server, as that account' }]
      const listed = Array.isArray(r.data?.groups) ? r.data.groups.map(String) : r.output
      const names = listed.map((g) => (g.includes('\\') ? g.slice(g.lastIndexOf('\\') + 1) : g).toLowerCase())
      return i.groups.filter((g) => !g.anyOf.some((n) => names.includes(n.toLowerCase()))).map((g) => ({
        check: 'admin-group',
        problem: `the account the scripts run as is in none of ${g.anyOf.join(', ')}, which ${g.why} need`,
        fix: `add the account to ${g.anyOf[0] ?? ''} (Active Directory Users and Computers), sign out and in again, and check with whoami /groups`,
      }))
    },
  })
  return out
}

/** What the check reads of one backup folder: it exists (Get-Item) and, for a drive letter, the
 * room on it (Get-PSDrive). Run where SQL Server writes the file: on the SQL Server machine. */
function folderProbes(s: ReadinessStore, dataBytes: number | undefined): Probe[] {
  const dir = s.backupDirectory
  if (dir === null) return []
  const share = shareHost(dir) !== undefined
  const computer = share ? undefined : instanceHost(s.instance)
  const where = computer === undefined ? {} : { computer }
  const out: Probe[] = [{
    command: { cmdlet: 'Get-Item', params: [['LiteralPath', dir]], ...where },
    judge: (r) => (r instanceof Error || r.output.length === 0
      ? [{ check: 'backup-folder', problem: `the backup folder ${dir} of ${s.label} does not exist${computer === undefined ? '' : ` on ${computer}`}${r instanceof Error ? ` (${firstLine(r)})` : ''}`, fix: `create it${computer === undefined ? '' : ` on ${computer}`} and give the SQL Server service account of ${s.instance} Modify rights on it (New-Item -ItemType Directory -Path '${dir}')` }]
      : []),
  }]
  const drive = driveOf(dir)
  if (drive !== undefined) {
    out.push({
      command: { cmdlet: 'Get-PSDrive', params: [['Name', drive], ['PSProvider', 'FileSystem']], ...where },
      judge(r) {
        if (r instanceof Error) return [{ check: 'backup-space', problem: `cannot read the free space of ${drive}: on ${computer ?? 'this computer'} (${firstLine(r)})`, fix: `Get-PSDrive -Name ${drive} on ${computer ?? 'this computer'}` }]
        const free = typeof r.data?.free === 'number' ? r.data.free : undefined
        if (free === undefined || dataBytes === undefined || free >= dataBytes) return []
        return [{ check: 'backup-space', problem: `${drive}: on ${computer ?? 'this computer'} has ${gb(free)} free; the backup of ${s.label} can take up to its data files' ${gb(dataBytes)}`, fix: `free ${gb(dataBytes - free)} on ${drive}: or point ${s.store === 'target' ? 'target' : `sources[${s.store}]`}.database.backupDirectory at a larger disk` }]
      },
    })
  }
  return out
}

interface Permissions {
  readonly canRead: number | null
  readonly canBackup: number | null
  readonly canCreateDatabase: number | null
  readonly dataBytes: number | null
}

function permissionFindings(s: ReadinessStore, p: Permissions): ReadinessFinding[] {
  const out: ReadinessFinding[] = []
  const login = `the login of ${s.store === 'target' ? 'target' : `sources[${s.store}]`}.connection on ${s.instance}`
  if (p.canRead !== 1) out.push({ check: 'sql-permission', problem: `${login} may not read ${s.database} (SELECT)`, fix: `on ${s.instance}: USE [${s.database}]; ALTER ROLE db_datareader ADD MEMBER <login> (SQL Server 2008 R2: EXEC sp_addrolemember 'db_datareader', '<login>')` })
  if (p.canBackup !== 1) out.push({ check: 'sql-permission', problem: `${login} may not back up ${s.database} (BACKUP DATABASE)`, fix: `on ${s.instance}: USE [${s.database}]; EXEC sp_addrolemember 'db_backupoperator', '<login>'` })
  if (p.canCreateDatabase !== 1) out.push({ check: 'sql-permission', problem: `${login} lacks CREATE DATABASE, which RESTORE VERIFYONLY and RESTORE HEADERONLY need to check the backup`, fix: `on ${s.instance}: EXEC sp_addsrvrolemember '<login>', 'dbcreator' (or GRANT CREATE DATABASE in master)` })
  return out
}

/** What the check needs of a run: a host, the stores, a log. */
export interface ReadinessDeps {
  readonly host: Host
  sql(store: StoreRole): Promise<SqlClient>
  log(line: string): void
  readonly signal?: AbortSignal
  /** What the run has done on purpose (`cutover check` after the cutover), and where the notes go
   * that replace the findings it explains. */
  readonly done?: DoneOnPurpose & { note(line: string): void }
}

/** Reads the stores' permissions and sizes (SQL, from where cutover runs), then runs every
 * probe in one batch (a probe that fails is a finding, not the end), and returns one finding per
 * problem. */
export async function checkReadiness(i: ReadinessInput, deps: ReadinessDeps): Promise<ReadinessFinding[]> {
  const findings: ReadinessFinding[] = i.refusedHops.map((hop) => ({
    check: 'second-hop',
    problem: `from the remoting session on the Lync server, ${hop} is a second hop: Windows will refuse it (environment.remoting.authentication is default, Kerberos)`,
    fix: 'set environment.remoting: { authentication: credssp, credential: { user: DOMAIN\\user, password: ${env:NAME} } } and enable CredSSP (docs/security.md#remoting-and-the-second-hop), or run cutover on the Lync server',
  }))
  const sizes = new Map<string, number>()
  for (const s of i.stores) {
    const role: StoreRole = s.store === 'target' ? { kind: 'target' } : { kind: 'source', id: s.store }
    try {
      const [row] = await (await deps.sql(role)).query<Permissions>(PERMISSIONS, { db: s.database })
      if (row === undefined) throw new Error('the permissions query returned no row')
      findings.push(...permissionFindings(s, row))
      if (row.dataBytes !== null) sizes.set(s.store, Number(row.dataBytes))
    } catch (e) {
      findings.push({ check: 'sql-permission', problem: `cannot read the permissions of the login on ${s.instance} (${s.label}): ${firstLine(e instanceof Error ? e : new Error(String(e)))}`, fix: `check ${s.store === 'target' ? 'target' : `sources[${s.store}]`}.connection and that its login may connect` })
    }
  }
  const all = allProbes(i, sizes, deps.done)
  for (const p of all) deps.log(`> ${p.command.cmdlet}${p.command.computer === undefined ? '' : ` (on ${p.command.computer})`}`)
  const results = await deps.host.run(all.map((p) => asProbe(p.command)), { stepId: readinessId(), progress: () => undefined, log: deps.log, ...(deps.signal === undefined ? {} : { signal: deps.signal }) })
  all.forEach((p, n) => {
    const r = results[n] ?? { output: [] }
    const failed = r.data?.failed
    const found = p.judge(typeof failed === 'string' ? new Error(failed) : r)
    if (found.length > 0 && p.planned !== undefined) deps.done?.note(p.planned)
    else findings.push(...found)
  })
  return findings
}

/** Every probe of the check, in the order the batch runs them; `sizes` (bytes of data files per
 * store) sizes the backup-space checks. */
function allProbes(i: ReadinessInput, sizes: ReadonlyMap<string, number>, done?: DoneOnPurpose): Probe[] {
  return [...probes(i, done), ...i.stores.flatMap((s) => folderProbes(s, sizes.get(s.store)))]
}

/** One line per finding: what is wrong, then what to run. */
export function formatReadiness(f: ReadinessFinding): string {
  return `${f.check}: ${f.problem}; to fix: ${f.fix}`
}

/** The preview's commands: what the check runs (the SQL part is shown as SQL). */
function previewCommands(i: ReadinessInput): Command[] {
  return allProbes(i, new Map()).map((p) => asProbe(p.command))
}

/** Read-only checks against the real servers before the window (readiness). */
export const readinessKind = defineStep<'readiness', ReadinessInput>({
  kind: 'readiness',
  traits: { idempotent: true },
  fromPlan: (plan) => [{ slot: 'readiness', step: makeStep('readiness', readinessId(), 'preflight', `Check the servers are ready (read-only): pool, services, accounts, WinRM, backup folders, permissions`, readinessInput(plan)) }],
  preview: (step) => [
    ...step.input.refusedHops.map((hop) => ({ type: 'note' as const, text: `second hop refused: ${hop}` })),
    { type: 'commands', commands: previewCommands(step.input) },
    ...step.input.stores.map((s) => ({ type: 'sql' as const, store: s.store === 'target' ? 'target' : `source ${s.store}`, queries: [PERMISSIONS] })),
  ],
  async run(step, ctx) {
    const findings = await checkReadiness(step.input, { host: ctx.host, sql: (s) => ctx.sql(s), log: (l) => ctx.log(l), signal: ctx.signal })
    const { file, sha256 } = await writeArtifact(ctx, `readiness/${step.id}.json`, { findings: findings.map((f) => ({ ...f })) })
    if (findings.length > 0) throw new Error(`the readiness check found ${findings.length} problem(s) (${file}):\n${findings.map(formatReadiness).join('\n')}`)
    return { outputs: { artifact: file, sha256, findings: 0 } }
  },
})
