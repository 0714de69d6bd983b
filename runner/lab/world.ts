/**
 * The lab emulator's world (lab.json): what a Lync deployment would hold outside the two chat
 * stores — servers and their services, SQL instances, pools, users, endpoints, policies, trusted
 * applications, the topology. Read and written whole, atomically.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from './atomic-file.js'
import { LabError } from './errors.js'
import { LAB_NAMES } from './lab-names.js'

export type ServiceStatus = 'Running' | 'Stopped'

export interface LabService {
  readonly name: string
  readonly status: ServiceStatus
  /** A Lync Server service (Stop-CsWindowsService handles it); Group Chat 2010's services are not. */
  readonly lync: boolean
  /** Services on the same server this one depends on: stopping one of them stops this one too. */
  readonly dependsOn?: readonly string[]
}

export interface LabServer {
  readonly fqdn: string
  readonly groupChatInstalled: boolean
  readonly services: readonly LabService[]
  /** false: WinRM does not answer (Test-WSMan fails), as on a Windows Server 2008 R2 server
   * where nobody ran Enable-PSRemoting. Absent: it answers. */
  readonly winrm?: boolean
}

export interface LabDatabase {
  readonly instance: string
  readonly name: string
  readonly kind: 'legacy' | 'pchat'
  /** Relative to the lab folder. */
  readonly file: string
}

export interface LabPool {
  readonly fqdn: string
  readonly kind: 'groupchat' | 'persistentchat'
  readonly servers: readonly string[]
  readonly database: { readonly instance: string; readonly name: string }
  /** Relative to the lab folder. */
  readonly fileStore: string
  /** false: the pool is in the topology but its Persistent Chat Server service is not defined
   * (Get-CsService -PersistentChatServer returns nothing). Absent: defined. */
  readonly servicesDefined?: boolean
}

/** A folder on a lab machine, as Get-Item and Get-PSDrive see it (the readiness check's
 * backup folders); paths are compared case-insensitively, as Windows does. */
export interface LabFolder {
  readonly computer: string
  readonly path: string
}

/** A drive on a lab machine, for Get-PSDrive. */
export interface LabDrive {
  readonly computer: string
  readonly name: string
  readonly freeBytes: number
}

/** What the readiness check reads beyond the topology: the account the scripts run as, SQL
 * permissions, folders and drives. Absent parts are the ready defaults below. */
export interface LabReadiness {
  /** The groups of the account the scripts run as (DOMAIN\name). */
  readonly groups?: readonly string[]
  /** Permissions the store logins lack, per SQL instance: `SELECT`, `BACKUP DATABASE`, `CREATE DATABASE`. */
  readonly deniedPermissions?: readonly { readonly instance: string; readonly permission: string }[]
  /** Absent: every folder exists. */
  readonly folders?: readonly LabFolder[]
  /** Absent: every drive has a terabyte free. */
  readonly drives?: readonly LabDrive[]
}

/** The lab's admin is in every group the steps need. */
export const READY_GROUPS: readonly string[] = ['LAB\\Domain Users', 'LAB\\CsPersistentChatAdministrator', 'LAB\\RTCUniversalUserAdmins', 'LAB\\RTCUniversalServerAdmins']

export interface LabUser {
  readonly sipAddress: string
  readonly distinguishedName: string
  readonly displayName: string
  readonly registrarPool: string
  readonly enabled: boolean
}

export interface LabEndpoint {
  readonly sipAddress: string
  readonly poolFqdn: string
  readonly displayName: string
  readonly distinguishedName: string
}

export interface LabPolicy {
  readonly identity: string
  readonly enablePersistentChat: boolean
}

export interface LabTrustedApplicationPool {
  readonly fqdn: string
  readonly registrar: string
  readonly applications: readonly { readonly applicationId: string; readonly port: number }[]
}

export interface LabWorld {
  readonly format: 'cutover-lab-world'
  readonly version: 1
  readonly note: string
  readonly seed: number
  readonly sizes: { readonly rooms: number; readonly messages: number }
  readonly sipDomain: string
  /** Where a command without a computer runs: cutover is run on the Persistent Chat server. */
  readonly localComputer: string
  readonly servers: readonly LabServer[]
  readonly databases: readonly LabDatabase[]
  readonly pools: readonly LabPool[]
  readonly users: readonly LabUser[]
  readonly endpoints: readonly LabEndpoint[]
  readonly policies: readonly LabPolicy[]
  readonly trustedApplicationPools: readonly LabTrustedApplicationPool[]
  readonly topology: { readonly publishCount: number; readonly unpublishedChanges: number }
  readonly readiness?: LabReadiness
}

/** The world of a new lab; `legacyPools` 2 adds the second legacy pool (LAB_NAMES.second). */
export function initialWorld(seed: number, sizes: LabWorld['sizes'], legacyPools = 1): LabWorld {
  const n = LAB_NAMES
  const two = legacyPools === 2
  const m = n.second
  const legacyServices = () => n.legacyServices.map((name): LabService => ({ name, status: 'Running', lync: false }))
  return {
    format: 'cutover-lab-world',
    version: 1,
    note: 'cutover lab emulator: an emulated Lync deployment, not a real one',
    seed,
    sizes,
    sipDomain: n.sipDomain,
    localComputer: n.targetServer,
    servers: [
      { fqdn: n.legacyServer, groupChatInstalled: true, services: legacyServices() },
      ...(two ? [{ fqdn: m.legacyServer, groupChatInstalled: true, services: legacyServices() }] : []),
      { fqdn: n.targetServer, groupChatInstalled: false, services: [{ name: n.targetService, status: 'Running', lync: true }, { name: n.targetDependentService, status: 'Running', lync: true, dependsOn: [n.targetService] }] },
    ],
    databases: [
      { instance: n.legacyInstance, name: n.legacyDatabase, kind: 'legacy', file: n.legacyStoreFile },
      ...(two ? [{ instance: m.legacyInstance, name: m.legacyDatabase, kind: 'legacy' as const, file: m.legacyStoreFile }] : []),
      { instance: n.targetInstance, name: n.targetDatabase, kind: 'pchat', file: n.targetStoreFile },
    ],
    pools: [
      { fqdn: n.legacyPool, kind: 'groupchat', servers: [n.legacyServer], database: { instance: n.legacyInstance, name: n.legacyDatabase }, fileStore: n.legacyFileStore },
      ...(two ? [{ fqdn: m.legacyPool, kind: 'groupchat' as const, servers: [m.legacyServer], database: { instance: m.legacyInstance, name: m.legacyDatabase }, fileStore: m.legacyFileStore }] : []),
      { fqdn: n.targetPool, kind: 'persistentchat', servers: [n.targetServer], database: { instance: n.targetInstance, name: n.targetDatabase }, fileStore: n.targetFileStore },
    ],
    users: [
      {
        sipAddress: n.lookupAccount,
        distinguishedName: 'CN=ocschat,OU=Service Accounts,DC=lab,DC=cutover,DC=test',
        displayName: 'Group Chat Lookup',
        registrarPool: n.registrarPool,
        enabled: true,
      },
      ...(two ? [{ sipAddress: m.lookupAccount, distinguishedName: 'CN=ocschat2,OU=Service Accounts,DC=lab,DC=cutover,DC=test', displayName: 'Group Chat Lookup (second pool)', registrarPool: n.registrarPool, enabled: true }] : []),
    ],
    endpoints: [],
    policies: [{ identity: n.policy, enablePersistentChat: false }],
    trustedApplicationPools: [
      { fqdn: n.legacyPool, registrar: n.registrarPool, applications: [{ applicationId: 'urn:application:groupchat', port: 5041 }] },
      ...(two ? [{ fqdn: m.legacyPool, registrar: n.registrarPool, applications: [{ applicationId: 'urn:application:groupchat', port: 5041 }] }] : []),
    ],
    topology: { publishCount: 0, unpublishedChanges: 0 },
  }
}

export function worldFile(labDir: string): string {
  return join(labDir, LAB_NAMES.worldFile)
}

export function readWorld(labDir: string): LabWorld {
  const file = worldFile(labDir)
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new LabError(`cannot read ${file} (${e instanceof Error ? e.message : String(e)}); create the lab with 'cutover lab init'`, { cause: e })
  }
  const w = parsed as Partial<LabWorld> | null
  if (w === null || typeof w !== 'object' || w.format !== 'cutover-lab-world' || w.version !== 1) throw new LabError(`${file} is not a lab emulator world (format cutover-lab-world, version 1)`)
  return w as LabWorld
}

export async function writeWorld(labDir: string, world: LabWorld): Promise<void> {
  await writeFileAtomic(worldFile(labDir), `${JSON.stringify(world, null, 2)}\n`)
}

/** Reads the world, applies `change` and writes the result; commands run one at a time, so
 * read-modify-write is enough. */
export async function updateWorld(labDir: string, change: (world: LabWorld) => LabWorld): Promise<LabWorld> {
  const next = change(readWorld(labDir))
  await writeWorld(labDir, next)
  return next
}

/** Host names, SQL instance names and Lync identities compare case-insensitively, as Windows and Lync do. */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}

export function findServer(world: LabWorld, fqdn: string): LabServer | undefined {
  return world.servers.find((s) => sameName(s.fqdn, fqdn))
}

export function findDatabase(world: LabWorld, instance: string, name: string): LabDatabase | undefined {
  return world.databases.find((d) => sameName(d.instance, instance) && sameName(d.name, name))
}

export function findPool(world: LabWorld, fqdn: string): LabPool | undefined {
  return world.pools.find((p) => sameName(p.fqdn, fqdn))
}

/** `<service> on <server>` for each running service on the servers of the pools whose store is on `instance`. */
export function runningServices(world: LabWorld, instance: string, kind?: LabPool['kind']): string[] {
  const pools = world.pools.filter((p) => sameName(p.database.instance, instance) && (kind === undefined || p.kind === kind))
  return world.servers
    .filter((s) => pools.some((p) => p.servers.some((f) => sameName(f, s.fqdn))))
    .flatMap((s) => s.services.filter((v) => v.status === 'Running').map((v) => `${v.name} on ${s.fqdn}`))
}
