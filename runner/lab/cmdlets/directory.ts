/** The lab emulator's Lync directory: users (Get-/Enable-/Disable-CsUser) and Persistent Chat
 * endpoints (New-/Get-/Remove-CsPersistentChatEndpoint), the objects step 8 of the documented
 * cutover swaps (docs/microsoft-facts.md#the-documented-order-of-the-cutover). State lives in lab.json. */
import { createHash } from 'node:crypto'
import type { CmdletContext } from '../cmdlet.js'
import { LabCommandError } from '../errors.js'
import { bind } from '../params.js'
import { say } from '../result.js'
import type { LabResult } from '../result.js'
import { findPool, readWorld, sameName, updateWorld } from '../world.js'
import type { LabEndpoint, LabUser, LabWorld } from '../world.js'

/** SIP addresses compare without their `sip:` prefix and case. */
function sipKey(address: string): string {
  return address.toLowerCase().replace(/^sip:/, '')
}

function matches(identity: string, sip: string, dn: string, displayName: string): boolean {
  return sipKey(identity) === sipKey(sip) || identity.toLowerCase() === dn.toLowerCase() || identity === displayName
}

function notFound(cmdlet: string, identity: string): LabCommandError {
  return new LabCommandError(cmdlet, `Management object not found for identity "${identity}".`)
}

function findUser(world: LabWorld, identity: string): LabUser | undefined {
  return world.users.find((u) => matches(identity, u.sipAddress, u.distinguishedName, u.displayName))
}

function userData(u: LabUser): Record<string, unknown> {
  return { DistinguishedName: u.distinguishedName, RegistrarPool: u.registrarPool, SipAddress: u.sipAddress, Enabled: u.enabled, DisplayName: u.displayName }
}

function endpointData(e: LabEndpoint): Record<string, unknown> {
  return { Identity: e.distinguishedName, SipAddress: e.sipAddress, DisplayName: e.displayName, PersistentChatPoolFqdn: e.poolFqdn }
}

/** `world` is read afresh by updateWorld, so the user is matched by its DN, not by object. */
function replaceUser(world: LabWorld, user: LabUser, next: LabUser): LabWorld {
  return { ...world, users: world.users.map((u) => (u.distinguishedName === user.distinguishedName ? next : u)) }
}

export async function getCsUser(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, { Identity: { kind: 'string' } } as const)
  const world = readWorld(ctx.labDir)
  if (p.Identity === undefined) {
    const enabled = world.users.filter((u) => u.enabled)
    return { output: enabled.map((u) => say(`${u.sipAddress} enabled`)), data: { users: enabled.map(userData) } }
  }
  const user = findUser(world, p.Identity)
  // As Microsoft documents it: after Disable-CsUser, Get-CsUser no longer returns the user. The
  // lab keeps the AD object (Enable-CsUser finds it by its distinguished name).
  if (user === undefined || !user.enabled) throw notFound(ctx.cmdlet, p.Identity)
  return { output: [say(`${user.sipAddress} (${user.distinguishedName}) is ${user.enabled ? 'enabled' : 'disabled'} for Lync, pool ${user.registrarPool}`)], data: userData(user) }
}

export async function disableCsUser(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, { Identity: { kind: 'string', mandatory: true } } as const)
  const world = readWorld(ctx.labDir)
  const user = findUser(world, p.Identity)
  if (user === undefined) throw notFound(ctx.cmdlet, p.Identity)
  if (user.enabled) await updateWorld(ctx.labDir, (w) => replaceUser(w, user, { ...user, enabled: false }))
  return { output: [say(user.enabled ? `disabled ${user.sipAddress} for Lync` : `${user.sipAddress} was already disabled`)], data: userData({ ...user, enabled: false }) }
}

export async function enableCsUser(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, { Identity: { kind: 'string', mandatory: true }, RegistrarPool: { kind: 'string', mandatory: true }, SipAddress: { kind: 'string' } } as const)
  const world = readWorld(ctx.labDir)
  const user = findUser(world, p.Identity)
  if (user === undefined) throw notFound(ctx.cmdlet, p.Identity)
  const sipAddress = p.SipAddress ?? user.sipAddress
  if (!sipAddress.toLowerCase().startsWith('sip:')) throw new LabCommandError(ctx.cmdlet, `SipAddress '${sipAddress}' must start with 'sip:'`)
  const endpoint = world.endpoints.find((e) => sipKey(e.sipAddress) === sipKey(sipAddress))
  if (endpoint !== undefined) throw new LabCommandError(ctx.cmdlet, `The SIP address '${sipAddress}' is already in use by ${endpoint.distinguishedName} (a Persistent Chat endpoint); remove it first`)
  const other = world.users.find((u) => u !== user && u.enabled && sipKey(u.sipAddress) === sipKey(sipAddress))
  if (other !== undefined) throw new LabCommandError(ctx.cmdlet, `The SIP address '${sipAddress}' is already in use by ${other.distinguishedName}`)
  const next = { ...user, enabled: true, registrarPool: p.RegistrarPool, sipAddress }
  await updateWorld(ctx.labDir, (w) => replaceUser(w, user, next))
  return { output: [say(`enabled ${sipAddress} for Lync on ${p.RegistrarPool}`)], data: userData(next) }
}

/** A stable distinguished name for an endpoint's contact object (real ones carry a random GUID). */
function contactDn(sipAddress: string): string {
  const h = createHash('sha256').update(sipKey(sipAddress)).digest('hex').toUpperCase()
  return `CN={${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}},CN=Application Contacts,CN=RTC Service,CN=Services,CN=Configuration,DC=lab,DC=cutover,DC=test`
}

export async function newPersistentChatEndpoint(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, { SipAddress: { kind: 'string', mandatory: true }, PersistentChatPoolFqdn: { kind: 'string', mandatory: true }, DisplayName: { kind: 'string' } } as const)
  const world = readWorld(ctx.labDir)
  if (!p.SipAddress.toLowerCase().startsWith('sip:')) throw new LabCommandError(ctx.cmdlet, `SipAddress '${p.SipAddress}' must include the 'sip:' prefix`)
  const pool = findPool(world, p.PersistentChatPoolFqdn)
  if (pool?.kind !== 'persistentchat') throw new LabCommandError(ctx.cmdlet, `'${p.PersistentChatPoolFqdn}' is not a Persistent Chat pool in the topology`)
  const user = world.users.find((u) => u.enabled && sipKey(u.sipAddress) === sipKey(p.SipAddress))
  if (user !== undefined) throw new LabCommandError(ctx.cmdlet, `The SIP address '${p.SipAddress}' is already in use by ${user.distinguishedName}; disable or remove that user first`)
  const existing = world.endpoints.find((e) => sipKey(e.sipAddress) === sipKey(p.SipAddress) || sameName(e.poolFqdn, pool.fqdn))
  if (existing !== undefined) throw new LabCommandError(ctx.cmdlet, `An endpoint already exists for ${existing.sipAddress} on pool ${existing.poolFqdn} (one endpoint per pool)`)
  const endpoint: LabEndpoint = { sipAddress: p.SipAddress, poolFqdn: pool.fqdn, displayName: p.DisplayName ?? 'Persistent Chat', distinguishedName: contactDn(p.SipAddress) }
  await updateWorld(ctx.labDir, (w) => ({ ...w, endpoints: [...w.endpoints, endpoint] }))
  return { output: [say(`created Persistent Chat endpoint ${endpoint.sipAddress} on ${endpoint.poolFqdn}`)], data: endpointData(endpoint) }
}

export async function getPersistentChatEndpoint(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, { Identity: { kind: 'string' }, PersistentChatPoolFqdn: { kind: 'string' } } as const)
  const world = readWorld(ctx.labDir)
  const found = world.endpoints.filter((e) => (p.Identity === undefined || matches(p.Identity, e.sipAddress, e.distinguishedName, e.displayName)) && (p.PersistentChatPoolFqdn === undefined || sameName(e.poolFqdn, p.PersistentChatPoolFqdn)))
  if (p.Identity !== undefined && found.length === 0) throw notFound(ctx.cmdlet, p.Identity)
  return { output: found.map((e) => say(`endpoint ${e.sipAddress} on ${e.poolFqdn}`)), data: { endpoints: found.map(endpointData) } }
}

export async function removePersistentChatEndpoint(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, { Identity: { kind: 'string', mandatory: true } } as const)
  const world = readWorld(ctx.labDir)
  const endpoint = world.endpoints.find((e) => matches(p.Identity, e.sipAddress, e.distinguishedName, e.displayName))
  if (endpoint === undefined) throw notFound(ctx.cmdlet, p.Identity)
  await updateWorld(ctx.labDir, (w) => ({ ...w, endpoints: w.endpoints.filter((e) => e.sipAddress !== endpoint.sipAddress) }))
  return { output: [say(`removed Persistent Chat endpoint ${endpoint.sipAddress}`)], data: endpointData(endpoint) }
}
