/**
 * The readiness check (issue 11, items 12, 5 and 1): read-only probes against the lab, which
 * emulates each fact they read; each edit of lab.json below (the lab's setting for one problem)
 * makes exactly its finding appear, and a ready lab gives none.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { LabWorld } from '../../runner/lab/world.js'
import { validatePlanText } from '../../runner/plan/load.js'
import type { Plan } from '../../runner/plan/types.js'
import { labRuntime } from '../../runner/runtimes/lab/runtime.js'
import { checkReadiness, formatReadiness, readinessInput } from '../../runner/steps/kinds/readiness.js'
import type { DoneOnPurpose, ReadinessFinding } from '../../runner/steps/kinds/readiness.js'
import { labCase } from '../helpers/lab.js'
import { loadPlan } from '../render/rendered.js'

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? Mutable<U>[] : T[K] extends object ? Mutable<T[K]> : T[K] }
type World = Mutable<LabWorld>

/** Runs the check on a fresh lab after `edit` changed its world (and `planEdit` the plan). */
async function findings(edit: (w: World) => void = () => undefined, planEdit?: (text: string) => string, done?: DoneOnPurpose & { note(line: string): void }): Promise<ReadinessFinding[]> {
  const c = await labCase({ rooms: 15, messages: 50, ...(planEdit === undefined ? {} : { edit: planEdit }) })
  const file = join(c.labDir, 'lab.json')
  const world = JSON.parse(readFileSync(file, 'utf8')) as World
  edit(world)
  writeFileSync(file, JSON.stringify(world))
  const loaded = validatePlanText(readFileSync(c.planFile, 'utf8'), c.planFile)
  const plan = loaded.plan as Plan
  const runtime = labRuntime(plan, c.dir)
  try {
    return await checkReadiness(readinessInput(plan), { host: runtime.host, sql: (s) => runtime.sql(s), log: () => undefined, ...(done === undefined ? {} : { done }) })
  } finally {
    await runtime.close()
  }
}

const checks = (f: readonly ReadinessFinding[]) => f.map((x) => x.check)
const server = (w: World, fqdn: string) => {
  const s = w.servers.find((x) => x.fqdn === fqdn)
  if (s === undefined) throw new Error(`no lab server ${fqdn}`)
  return s
}
const BACKUP = (t: string) => t.replace("name: mgc }", "name: mgc, backupDirectory: 'E:\\SQLBackup' }")

describe('the readiness check against the lab', () => {
  it('finds nothing on a ready lab', async () => {
    expect((await findings()).map(formatReadiness)).toEqual([])
  })

  it('WinRM: a legacy server that does not answer Test-WSMan, with Enable-PSRemoting to run', async () => {
    const f = await findings((w) => { server(w, 'gc01.lab.cutover.test').winrm = false })
    expect(checks(f)).toEqual(['winrm'])
    expect(f[0]?.fix).toContain('Enable-PSRemoting -Force')
  })

  it('the Persistent Chat pool: not in the topology, or its services not defined', async () => {
    expect(checks(await findings((w) => { w.pools = w.pools.filter((p) => p.kind !== 'persistentchat') }))).toEqual(['pool', 'services'])
    expect(checks(await findings((w) => { for (const p of w.pools) if (p.kind === 'persistentchat') p.servicesDefined = false }))).toEqual(['services'])
  })

  it('service names: one the plan names that a server does not have, target and legacy', async () => {
    const f = await findings((w) => {
      server(w, 'pc01.lab.cutover.test').services = []
      const gc = server(w, 'gc01.lab.cutover.test')
      gc.services = gc.services.filter((s) => s.name !== 'GroupChatLookup')
    })
    expect(checks(f)).toEqual(['service-name', 'service-name'])
    expect(f.map((x) => x.problem).join('\n')).toMatch(/service RTCCHAT does not exist on pc01\.lab\.cutover\.test[\s\S]*service GroupChatLookup does not exist on gc01\.lab\.cutover\.test/)
  })

  it('the lookup account and the forest (the legacy pool is not in this deployment)', async () => {
    expect(checks(await findings((w) => { w.users = [] }))).toEqual(['lookup-account'])
    expect(checks(await findings((w) => { w.trustedApplicationPools = [] }))).toEqual(['forest'])
  })

  it('after the cutover: the account a done lookup-account step disabled and the pool a done decommission step removed are notes, not problems', async () => {
    const gone = (w: World) => {
      w.users = []
      w.trustedApplicationPools = []
    }
    const notes: string[] = []
    const done = { lookupDisabled: new Map([['sip:ocschat@lab.cutover.test', 'cutover.lookup-account']]), poolsRemoved: new Map([['gcpool.lab.cutover.test', 'decommission.1.remove-trusted-application']]), note: (l: string) => notes.push(l) }
    expect(await findings(gone, undefined, done)).toEqual([])
    expect(notes).toEqual([
      'the Group Chat pool gcpool.lab.cutover.test (gc2010) is no longer a trusted application pool: removed as planned (decommission.1.remove-trusted-application is done)',
      'the Lookup Server account sip:ocschat@lab.cutover.test (gc2010) is disabled as planned (cutover.lookup-account is done): Get-CsUser no longer finds it',
    ])
    // Only what those steps did: another account or pool is still a problem, and nothing is noted
    // when what the step removed is there.
    const other = { lookupDisabled: new Map([['sip:other@lab.cutover.test', 'cutover.lookup-account']]), poolsRemoved: new Map([['other.lab.cutover.test', 'decommission.1.remove-trusted-application']]), note: (l: string) => notes.push(l) }
    expect(checks(await findings(gone, undefined, other))).toEqual(['forest', 'lookup-account'])
    expect(await findings(() => undefined, undefined, done)).toEqual([])
    expect(notes).toHaveLength(2)
  })

  it('permissions: a login without CREATE DATABASE (RESTORE VERIFYONLY), and the admin outside RTCUniversalUserAdmins', async () => {
    const f = await findings((w) => {
      w.readiness = { deniedPermissions: [{ instance: 'sql02.lab.cutover.test\\PCHAT', permission: 'CREATE DATABASE' }], groups: ['LAB\\Domain Users', 'LAB\\CsPersistentChatAdministrator', 'LAB\\RTCUniversalServerAdmins'] }
    })
    expect(checks(f).sort()).toEqual(['admin-group', 'sql-permission'])
    expect(f.find((x) => x.check === 'sql-permission')?.problem).toMatch(/sql02\.lab\.cutover\.test\\PCHAT lacks CREATE DATABASE, which RESTORE VERIFYONLY/)
    expect(f.find((x) => x.check === 'admin-group')?.problem).toContain('RTCUniversalUserAdmins')
  })

  it('backup folder: missing on the SQL Server machine; then present with too little room for the data files', async () => {
    const missing = await findings((w) => { w.readiness = { folders: [], drives: [{ computer: 'sql02.lab.cutover.test', name: 'E', freeBytes: 10 ** 12 }] } }, BACKUP)
    expect(checks(missing)).toEqual(['backup-folder'])
    const full = await findings((w) => { w.readiness = { folders: [{ computer: 'sql02.lab.cutover.test', path: 'E:\\SQLBackup' }], drives: [{ computer: 'sql02.lab.cutover.test', name: 'E', freeBytes: 1024 }] } }, BACKUP)
    expect(checks(full)).toEqual(['backup-space'])
    expect(full[0]?.problem).toMatch(/^E: on sql02\.lab\.cutover\.test has 0\.0 GB free; the backup of the Persistent Chat store can take up to/)
    const room = await findings((w) => { w.readiness = { folders: [{ computer: 'sql02.lab.cutover.test', path: 'E:\\SQLBackup\\' }], drives: [{ computer: 'sql02.lab.cutover.test', name: 'E', freeBytes: 10 ** 12 }] } }, BACKUP)
    expect(room).toEqual([])
  })
})

describe('the readiness input of a plan with remoting', () => {
  it('lists the refused second hops with Kerberos, none with CredSSP, and every WinRM machine', () => {
    const credssp = loadPlan('plans/contoso-lync2010.yaml')
    expect(readinessInput(credssp).refusedHops).toEqual([])
    expect(readinessInput(credssp).winrm).toEqual(['gc01.contoso.com', 'gc02.contoso.com', 'sql01.contoso.com', 'sql02.contoso.com'])
    const kerberos = loadPlan('plans/contoso-lync2010.yaml', (t) => t.replace(/ {2}remoting:[\s\S]*?CUTOVER_REMOTING_PASSWORD}' }\n/, ''))
    const hops = readinessInput(kerberos).refusedHops
    expect(hops).toContain('gc01.contoso.com (Invoke-Command: Stop-Service of stop-legacy)')
    expect(hops).toContain('sql01.contoso.com (SQL Server instance: Export-CsPersistentChatData)')
    expect(hops).toContain('fs02.contoso.com (file share: Copy-Item)')
    expect(hops).toContain('pc01.contoso.com (Windows services: Stop-CsWindowsService)')
    expect(hops).toContain('a domain controller (Active Directory: Disable-CsUser)')
  })
})
