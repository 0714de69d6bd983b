/** The lab emulator's answers to the readiness check's read-only probes: the topology
 * (Get-CsPool, Get-CsService -PersistentChatServer), WinRM (Test-WSMan), folders and drives on a
 * lab machine (Get-Item, Get-PSDrive), and the groups of the account the scripts run as. Each
 * reads lab.json; a test edits it (servers[].winrm, pools[].servicesDefined, readiness.*) to make
 * a finding appear. Nothing here changes the world. */
import type { CmdletContext } from '../cmdlet.js'
import { LabCommandError } from '../errors.js'
import { bind } from '../params.js'
import { say } from '../result.js'
import type { LabResult } from '../result.js'
import { READY_GROUPS, findServer, readWorld, sameName } from '../world.js'

/** `Get-CsPool -Identity <fqdn>`: the pool, or nothing when the topology has none of that name
 * (the cmdlet returns nothing for an identity it does not find). */
export async function getCsPool(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, { Identity: { kind: 'string' }, Site: { kind: 'string' } } as const)
  const world = readWorld(ctx.labDir)
  const pools = world.pools.filter((x) => p.Identity === undefined || sameName(x.fqdn, p.Identity))
  return { output: pools.map((x) => say(`pool ${x.fqdn}: ${x.servers.join(', ')}`)), data: { pools: pools.map((x) => ({ Fqdn: x.fqdn, Computers: [...x.servers] })) } }
}

/** `Get-CsService -PersistentChatServer -PoolFqdn <fqdn>`: one PersistentChatServer service per
 * server of a Persistent Chat pool whose services are defined. */
export async function getCsService(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, { PersistentChatServer: { kind: 'switch' }, PoolFqdn: { kind: 'string' } } as const)
  if (!p.PersistentChatServer) throw new LabCommandError(ctx.cmdlet, 'the lab emulator answers Get-CsService -PersistentChatServer only')
  const world = readWorld(ctx.labDir)
  const pools = world.pools.filter((x) => x.kind === 'persistentchat' && x.servicesDefined !== false && (p.PoolFqdn === undefined || sameName(x.fqdn, p.PoolFqdn)))
  const services = pools.flatMap((x) => x.servers.map((s) => `PersistentChatServer:${s}`))
  return { output: services.map((s) => say(s)), data: { services } }
}

/** `Test-WSMan -ComputerName <fqdn>`: answers for a lab server whose WinRM is on. */
export async function testWsman(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, { ComputerName: { kind: 'string' } } as const)
  const world = readWorld(ctx.labDir)
  const fqdn = p.ComputerName ?? world.localComputer
  const server = findServer(world, fqdn)
  // The lab's SQL Server machines are no lab servers, but answer as one whose WinRM is on.
  const sqlMachine = world.databases.some((d) => sameName(d.instance.split('\\')[0] ?? '', fqdn))
  if ((server === undefined && !sqlMachine) || server?.winrm === false) {
    throw new LabCommandError(ctx.cmdlet, `<f:WSManFault Code="2150858770" Machine="${world.localComputer}"><f:Message>The client cannot connect to the destination specified in the request (${fqdn}). Verify that the service on the destination is running and is accepting requests.</f:Message></f:WSManFault>`)
  }
  return { output: [say(`wsmid http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd on ${fqdn}`)] }
}

const computerOf = (ctx: CmdletContext): string => ctx.command.computer ?? readWorld(ctx.labDir).localComputer

/** `Get-Item -LiteralPath <folder>` on a lab machine. */
export async function getItem(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, { LiteralPath: { kind: 'string', mandatory: true } } as const)
  const computer = computerOf(ctx)
  // No list in lab.json: every folder exists (a ready lab); a list: only those.
  const folders = readWorld(ctx.labDir).readiness?.folders
  const norm = (t: string) => t.replace(/[\\/]+$/, '').toLowerCase()
  if (folders !== undefined && !folders.some((f) => sameName(f.computer, computer) && norm(f.path) === norm(p.LiteralPath))) {
    throw new LabCommandError(ctx.cmdlet, `Cannot find path '${p.LiteralPath}' because it does not exist.`)
  }
  return { output: [say(`folder ${p.LiteralPath} on ${computer}`)] }
}

/** `Get-PSDrive -Name <letter> -PSProvider FileSystem` on a lab machine: its free bytes. */
export async function getPsDrive(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, { Name: { kind: 'string', mandatory: true }, PSProvider: { kind: 'string' } } as const)
  const computer = computerOf(ctx)
  // No list in lab.json: every drive has a terabyte free (a ready lab); a list: only those.
  const drives = readWorld(ctx.labDir).readiness?.drives
  const drive = drives === undefined ? { name: p.Name, freeBytes: 2 ** 40 } : drives.find((d) => sameName(d.computer, computer) && sameName(d.name, p.Name))
  if (drive === undefined) throw new LabCommandError(ctx.cmdlet, `Cannot find drive. A drive with the name '${p.Name}' does not exist.`)
  return { output: [say(`drive ${drive.name}: on ${computer}, ${drive.freeBytes} bytes free`)], data: { free: drive.freeBytes } }
}

/** templates/readiness.ps1.hbs's Get-CutoverGroupMembership: the groups of the account the
 * scripts run as. */
export async function getGroupMembership(ctx: CmdletContext): Promise<LabResult> {
  bind(ctx.command, {})
  const groups = readWorld(ctx.labDir).readiness?.groups ?? READY_GROUPS
  return { output: groups.map((g) => say(g)), data: { groups: [...groups] } }
}

