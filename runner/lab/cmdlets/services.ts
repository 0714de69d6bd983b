/** The lab emulator's Windows services: Get-/Stop-/Start-Service (any service, on
 * `command.computer` or the local computer) and Get-/Stop-/Start-CsWindowsService (Lync Server
 * services only: Group Chat 2010's are not, docs/microsoft-facts.md#management-cmdlets). State lives in lab.json. */
import type { CmdletContext } from '../cmdlet.js'
import { LabCommandError } from '../errors.js'
import { bind } from '../params.js'
import { say } from '../result.js'
import type { LabResult } from '../result.js'
import { findServer, readWorld, sameName, updateWorld } from '../world.js'
import type { LabServer, LabWorld, ServiceStatus } from '../world.js'

function server(world: LabWorld, cmdlet: string, computer: string | undefined): LabServer {
  const fqdn = computer ?? world.localComputer
  const found = findServer(world, fqdn)
  if (found === undefined) throw new LabCommandError(cmdlet, `Connecting to remote server ${fqdn} failed: the lab emulator has ${world.servers.map((s) => s.fqdn).join(', ')}`)
  return found
}

function statusData(server: LabServer, names: readonly string[] | undefined): Record<string, unknown> {
  const services = server.services.filter((s) => names === undefined || names.some((n) => sameName(n, s.name)))
  return { services: services.map((s) => ({ Name: s.name, Status: s.status, MachineName: server.fqdn })) }
}

/** The names, then every service on the server that depends on one of them, directly or not. */
function withDependents(host: LabServer, names: readonly string[]): string[] {
  const out = [...names]
  for (let i = 0; i < out.length; i++) {
    for (const s of host.services) {
      if (!out.some((n) => sameName(n, s.name)) && (s.dependsOn ?? []).some((d) => sameName(d, out[i] ?? ''))) out.push(s.name)
    }
  }
  return out
}

/** Sets services on one server; `lyncOnly` is the Cs cmdlets' rule. Unknown names fail before any
 * change. `dependents`: Stop-CsWindowsService also stops the services that depend on those named
 * (Microsoft documents it); Start-CsWindowsService does not start them. */
async function setStatus(ctx: CmdletContext, computer: string | undefined, names: readonly string[] | undefined, status: ServiceStatus, lyncOnly: boolean, dependents = false): Promise<LabResult> {
  const world = readWorld(ctx.labDir)
  const host = server(world, ctx.cmdlet, computer)
  const pool = lyncOnly ? host.services.filter((s) => s.lync) : host.services
  const named = names ?? pool.map((s) => s.name)
  for (const n of named) {
    if (!pool.some((s) => sameName(s.name, n))) {
      throw new LabCommandError(ctx.cmdlet, lyncOnly ? `Cannot find a Lync Server service named '${n}' on ${host.fqdn}` : `Cannot find any service with service name '${n}'.`)
    }
  }
  const wanted = dependents ? withDependents(host, named) : named
  const changed = host.services.filter((s) => wanted.some((n) => sameName(n, s.name)) && s.status !== status).map((s) => s.name)
  const next = await updateWorld(ctx.labDir, (w) => ({
    ...w,
    servers: w.servers.map((s) => (s.fqdn !== host.fqdn ? s : { ...s, services: s.services.map((v) => (wanted.some((n) => sameName(n, v.name)) ? { ...v, status } : v)) })),
  }))
  const verb = status === 'Running' ? 'started' : 'stopped'
  return {
    output: wanted.map((n) => say(changed.some((c) => sameName(c, n)) ? `${verb} ${n} on ${host.fqdn}` : `${n} on ${host.fqdn} was already ${status.toLowerCase()}`)),
    data: statusData(findServer(next, host.fqdn) ?? host, wanted),
  }
}

const SERVICE = { Name: { kind: 'strings', mandatory: true } } as const

export async function stopService(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, { ...SERVICE, Force: { kind: 'switch' } } as const)
  return setStatus(ctx, ctx.command.computer, p.Name, 'Stopped', false)
}

export async function startService(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, SERVICE)
  return setStatus(ctx, ctx.command.computer, p.Name, 'Running', false)
}

export async function getService(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, { Name: { kind: 'strings' }, ComputerName: { kind: 'string' } } as const)
  const host = server(readWorld(ctx.labDir), ctx.cmdlet, p.ComputerName ?? ctx.command.computer)
  for (const n of p.Name ?? []) if (!host.services.some((s) => sameName(s.name, n))) throw new LabCommandError(ctx.cmdlet, `Cannot find any service with service name '${n}'.`)
  const data = statusData(host, p.Name)
  return { output: (data.services as { Name: string; Status: string }[]).map((s) => say(`${s.Status} ${s.Name} on ${host.fqdn}`)), data }
}

const CS_SERVICE = { Name: { kind: 'string' }, ComputerName: { kind: 'string' } } as const

export async function stopCsWindowsService(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, { ...CS_SERVICE, Graceful: { kind: 'switch' }, Force: { kind: 'switch' } } as const)
  return setStatus(ctx, p.ComputerName ?? ctx.command.computer, p.Name === undefined ? undefined : [p.Name], 'Stopped', true, true)
}

export async function startCsWindowsService(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, CS_SERVICE)
  return setStatus(ctx, p.ComputerName ?? ctx.command.computer, p.Name === undefined ? undefined : [p.Name], 'Running', true)
}

export async function getCsWindowsService(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, CS_SERVICE)
  const host = server(readWorld(ctx.labDir), ctx.cmdlet, p.ComputerName ?? ctx.command.computer)
  const lync: LabServer = { ...host, services: host.services.filter((s) => s.lync) }
  if (p.Name !== undefined && !lync.services.some((s) => sameName(s.name, p.Name ?? ''))) throw new LabCommandError(ctx.cmdlet, `Cannot find a Lync Server service named '${p.Name}' on ${host.fqdn}`)
  const data = statusData(lync, p.Name === undefined ? undefined : [p.Name])
  return { output: (data.services as { Name: string; Status: string }[]).map((s) => say(`${s.Status} ${s.Name} on ${host.fqdn}`)), data }
}
