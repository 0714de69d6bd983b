/** The lab emulator's room and category management on a Persistent Chat pool's store:
 * Get-/Set-/Remove-CsPersistentChatRoom and Set-CsPersistentChatCategory, with identities
 * written `<pool FQDN>\<name>` as the real cmdlets take them. */
import { MAX_NAME_LENGTH, nameKey } from '../../plan/names.js'
import type { CmdletContext } from '../cmdlet.js'
import { LabCommandError } from '../errors.js'
import { bind } from '../params.js'
import { say } from '../result.js'
import type { LabResult } from '../result.js'
import { BEHAVIOR, NODE_TYPE, PRINCIPAL_TYPE, ROLE, ROOT_NODE_ID, VISIBILITY } from '../schema.js'
import { openStore } from '../store.js'
import { sqlDateTime } from '../ticks.js'
import type { Store } from '../store.js'
import { findPool, readWorld, sameName } from '../world.js'
import type { LabPool, LabWorld } from '../world.js'
import { resolveStore } from './databases.js'

const PRIVACY: Readonly<Record<string, number>> = { open: VISIBILITY.open, closed: VISIBILITY.scoped, secret: VISIBILITY.private }
const PRIVACY_NAME: Readonly<Record<number, string>> = { [VISIBILITY.open]: 'Open', [VISIBILITY.scoped]: 'Closed', [VISIBILITY.private]: 'Secret' }
const TYPE: Readonly<Record<string, number>> = { normal: BEHAVIOR.normal, auditorium: BEHAVIOR.auditorium }

interface NodeRow {
  readonly nodeID: number
  readonly parentID: number
  readonly nodeType: number
  readonly nodeName: string
  readonly nodeDesc: string | null
  readonly invite: number | null
  readonly disabled: number
  readonly behavior: number
  readonly visibility: number
}

interface PoolStore {
  readonly pool: LabPool
  readonly db: Store
  readonly nodes: readonly NodeRow[]
}

/** Splits `<pool>\<name>` and opens that pool's store; the caller closes it. */
function openPool(ctx: CmdletContext, identity: string, writable: boolean): PoolStore & { readonly name: string } {
  const slash = identity.indexOf('\\')
  if (slash <= 0) throw new LabCommandError(ctx.cmdlet, `Identity '${identity}' is not written '<pool FQDN>\\<name>'`)
  return { ...openPoolByFqdn(ctx, identity.slice(0, slash), writable), name: identity.slice(slash + 1) }
}

/** Microsoft does not say whether the room and category cmdlets work while the Persistent Chat
 * services are stopped (docs/microsoft-facts.md#management-cmdlets); the lab assumes the worse, that
 * they need them, so a plan that changes rooms with the services stopped fails here first. */
function checkServicesRunning(ctx: CmdletContext, world: LabWorld, pool: LabPool): void {
  const servers = world.servers.filter((s) => pool.servers.some((f) => sameName(f, s.fqdn)))
  if (servers.some((s) => s.services.some((v) => v.lync && v.status === 'Running'))) return
  const stopped = servers.flatMap((s) => s.services.filter((v) => v.lync).map((v) => `${v.name} on ${s.fqdn}`))
  throw new LabCommandError(ctx.cmdlet, `Cannot reach the Persistent Chat pool ${pool.fqdn}: its services are stopped (${stopped.join(', ') || 'none installed'}); start them (Start-CsWindowsService) first. The lab emulator assumes the room and category cmdlets need them`)
}

function openPoolByFqdn(ctx: CmdletContext, fqdn: string, writable: boolean): PoolStore {
  const world = readWorld(ctx.labDir)
  const pool = findPool(world, fqdn)
  if (pool?.kind !== 'persistentchat') throw new LabCommandError(ctx.cmdlet, `'${fqdn}' is not a Persistent Chat pool in the topology`)
  checkServicesRunning(ctx, world, pool)
  const store = resolveStore(world, ctx.labDir, ctx.cmdlet, pool.database.instance, pool.database.name)
  const db = openStore(store.file, { readonly: !writable })
  const nodes = db.prepare('SELECT nodeID, parentID, nodeType, nodeName, nodeDesc, invite, disabled, behavior, visibility FROM tblNode WHERE nodeID <> @root').all({ root: ROOT_NODE_ID }) as NodeRow[]
  return { pool, db, nodes }
}

function find(store: PoolStore, type: number, name: string): NodeRow | undefined {
  return store.nodes.find((n) => n.nodeType === type && nameKey(n.nodeName) === nameKey(name))
}

function roomData(store: PoolStore, room: NodeRow): Record<string, unknown> {
  const category = store.nodes.find((n) => n.nodeID === room.parentID)
  return {
    Identity: `${store.pool.fqdn}\\${room.nodeName}`,
    Name: room.nodeName,
    Category: category === undefined ? null : `${store.pool.fqdn}\\${category.nodeName}`,
    Description: room.nodeDesc,
    Disabled: room.disabled === 1,
    Privacy: PRIVACY_NAME[room.visibility] ?? String(room.visibility),
    Type: room.behavior === BEHAVIOR.auditorium ? 'Auditorium' : 'Normal',
    Invitations: room.invite === null ? 'Inherit' : room.invite === 1 ? 'True' : 'False',
  }
}

function checkName(ctx: CmdletContext, store: PoolStore, type: number, name: string, self: number): void {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) throw new LabCommandError(ctx.cmdlet, `Cannot validate argument on parameter 'Name'. The name is ${name.length} characters; it must be 1 to ${MAX_NAME_LENGTH}.`)
  const other = find(store, type, name)
  if (other !== undefined && other.nodeID !== self) throw new LabCommandError(ctx.cmdlet, `A ${type === NODE_TYPE.room ? 'room' : 'category'} named '${other.nodeName}' already exists on ${store.pool.fqdn}`)
}

function choice(ctx: CmdletContext, parameter: string, value: string, set: Readonly<Record<string, number>>, names: string): number {
  const v = set[value.toLowerCase()]
  if (v === undefined) throw new LabCommandError(ctx.cmdlet, `Cannot validate argument on parameter '${parameter}'. The argument "${value}" does not belong to the set "${names}".`)
  return v
}

/** Members a category's scope does not allow are purged when a room moves into it (docs/microsoft-facts.md#management-cmdlets).
 * The lab has no group membership, so only scopes listing users alone are enforced for allow lists. */
function purgeDisallowedMembers(db: Store, room: number, category: number): number {
  const scope = db.prepare('SELECT s.scopePrinID AS prin, s.scopeIsDenied AS denied, p.prinTypeID AS kind FROM tblScopePrincipal s JOIN tblPrincipal p ON p.prinID = s.scopePrinID WHERE s.scopeNodeID = ?').all(category) as { prin: number; denied: number; kind: number }[]
  const allowed = scope.filter((s) => s.denied === 0)
  const denied = new Set(scope.filter((s) => s.denied === 1).map((s) => s.prin))
  const enforceAllow = allowed.length > 0 && allowed.every((s) => s.kind === PRINCIPAL_TYPE.user)
  const allowedSet = new Set(allowed.map((s) => s.prin))
  const members = db.prepare('SELECT prinRolePrinID FROM tblPrincipalRole WHERE prinRoleNodeID = ? AND prinRoleTypeID = ?').pluck().all(room, ROLE.member) as number[]
  const purge = members.filter((m) => denied.has(m) || (enforceAllow && !allowedSet.has(m)))
  const remove = db.prepare('DELETE FROM tblPrincipalRole WHERE prinRoleNodeID = ? AND prinRolePrinID = ? AND prinRoleTypeID = ?')
  for (const m of purge) remove.run(room, m, ROLE.member)
  return purge.length
}

export async function getPersistentChatRoom(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, { Identity: { kind: 'string' }, Category: { kind: 'string' }, PersistentChatPoolFqdn: { kind: 'string' }, Disabled: { kind: 'bool' } } as const)
  const world = readWorld(ctx.labDir)
  const fqdn = p.Identity?.split('\\')[0] ?? p.PersistentChatPoolFqdn ?? world.pools.find((x) => x.kind === 'persistentchat')?.fqdn ?? ''
  const store = openPoolByFqdn(ctx, fqdn, false)
  try {
    let rooms = store.nodes.filter((n) => n.nodeType === NODE_TYPE.room)
    if (p.Identity !== undefined) {
      const name = p.Identity.slice(p.Identity.indexOf('\\') + 1)
      rooms = rooms.filter((r) => nameKey(r.nodeName) === nameKey(name))
      if (rooms.length === 0) throw new LabCommandError(ctx.cmdlet, `Cannot find the room with identity '${p.Identity}'`)
    }
    if (p.Category !== undefined) {
      const category = find(store, NODE_TYPE.category, p.Category.slice(p.Category.indexOf('\\') + 1))
      if (category === undefined) throw new LabCommandError(ctx.cmdlet, `Cannot find the category '${p.Category}'`)
      rooms = rooms.filter((r) => r.parentID === category.nodeID)
    }
    if (p.Disabled !== undefined) rooms = rooms.filter((r) => (r.disabled === 1) === p.Disabled)
    const data = rooms.map((r) => roomData(store, r))
    return { output: data.map((r) => say(`room ${String(r.Identity)} (${String(r.Privacy)}, ${String(r.Type)}${r.Disabled === true ? ', disabled' : ''})`)), data: { rooms: data } }
  } finally {
    store.db.close()
  }
}

export async function setPersistentChatRoom(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, {
    Identity: { kind: 'string', mandatory: true }, Name: { kind: 'string' }, Category: { kind: 'string' }, Privacy: { kind: 'string' },
    Disabled: { kind: 'bool' }, Description: { kind: 'string' }, Type: { kind: 'string' }, Invitations: { kind: 'string' },
  } as const)
  const store = openPool(ctx, p.Identity, true)
  try {
    const room = find(store, NODE_TYPE.room, store.name)
    if (room === undefined) throw new LabCommandError(ctx.cmdlet, `Cannot find the room with identity '${p.Identity}'`)
    if (p.Name !== undefined) checkName(ctx, store, NODE_TYPE.room, p.Name, room.nodeID)
    if (p.Description !== undefined && p.Description.length > MAX_NAME_LENGTH) throw new LabCommandError(ctx.cmdlet, `Cannot validate argument on parameter 'Description'. It is longer than ${MAX_NAME_LENGTH} characters.`)
    let category: NodeRow | undefined
    if (p.Category !== undefined) {
      const categoryName = p.Category.includes('\\') ? p.Category.slice(p.Category.indexOf('\\') + 1) : p.Category
      category = find(store, NODE_TYPE.category, categoryName)
      if (category === undefined) throw new LabCommandError(ctx.cmdlet, `Cannot find the category '${p.Category}' on ${store.pool.fqdn}`)
    }
    const next: NodeRow = {
      ...room,
      nodeName: p.Name ?? room.nodeName,
      parentID: category?.nodeID ?? room.parentID,
      nodeDesc: p.Description ?? room.nodeDesc,
      visibility: p.Privacy === undefined ? room.visibility : choice(ctx, 'Privacy', p.Privacy, PRIVACY, 'Open,Closed,Secret'),
      behavior: p.Type === undefined ? room.behavior : choice(ctx, 'Type', p.Type, TYPE, 'Normal,Auditorium'),
      invite: p.Invitations === undefined ? room.invite : choice(ctx, 'Invitations', p.Invitations, { inherit: -1, false: 0 }, 'Inherit,False') === -1 ? null : 0,
      disabled: p.Disabled === undefined ? room.disabled : p.Disabled ? 1 : 0,
    }
    let purged = 0
    store.db.transaction(() => {
      store.db.prepare('UPDATE tblNode SET nodeName = @nodeName, parentID = @parentID, nodeDesc = @nodeDesc, visibility = @visibility, behavior = @behavior, invite = @invite, disabled = @disabled, nodeUpdatedOn = @now WHERE nodeID = @nodeID')
        .run({ ...next, now: sqlDateTime(Date.now()) })
      if (category !== undefined && category.nodeID !== room.parentID) purged = purgeDisallowedMembers(store.db, room.nodeID, category.nodeID)
    })()
    const data = roomData({ ...store, nodes: store.nodes.map((n) => (n.nodeID === room.nodeID ? next : n)) }, next)
    const output = [say(`room ${store.pool.fqdn}\\${room.nodeName} updated${p.Name !== undefined ? `, now named '${next.nodeName}'` : ''}`)]
    if (purged > 0) output.push(say(`${purged} member(s) the new category does not allow were removed from the room`))
    return { output, data: { ...data, PurgedMembers: purged } }
  } finally {
    store.db.close()
  }
}

export async function removePersistentChatRoom(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, { Identity: { kind: 'string', mandatory: true }, Force: { kind: 'switch' } } as const)
  const store = openPool(ctx, p.Identity, true)
  try {
    const room = find(store, NODE_TYPE.room, store.name)
    if (room === undefined) throw new LabCommandError(ctx.cmdlet, `Cannot find the room with identity '${p.Identity}'`)
    const messages = store.db.transaction(() => {
      const removed = store.db.prepare('DELETE FROM tblChat WHERE channelId = ?').run(room.nodeID).changes
      store.db.prepare('DELETE FROM tblPrincipalRole WHERE prinRoleNodeID = ?').run(room.nodeID)
      store.db.prepare('DELETE FROM tblScopePrincipal WHERE scopeNodeID = ?').run(room.nodeID)
      store.db.prepare('DELETE FROM tblNode WHERE nodeID = ?').run(room.nodeID)
      return removed
    })()
    return { output: [say(`removed room ${store.pool.fqdn}\\${room.nodeName} and its ${messages} messages`)], data: { Identity: `${store.pool.fqdn}\\${room.nodeName}`, messages } }
  } finally {
    store.db.close()
  }
}

export async function setPersistentChatCategory(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, { Identity: { kind: 'string', mandatory: true }, Name: { kind: 'string' }, Description: { kind: 'string' } } as const)
  const store = openPool(ctx, p.Identity, true)
  try {
    const category = find(store, NODE_TYPE.category, store.name)
    if (category === undefined) throw new LabCommandError(ctx.cmdlet, `Cannot find the category with identity '${p.Identity}'`)
    if (p.Name !== undefined) checkName(ctx, store, NODE_TYPE.category, p.Name, category.nodeID)
    if (p.Description !== undefined && p.Description.length > MAX_NAME_LENGTH) throw new LabCommandError(ctx.cmdlet, `Cannot validate argument on parameter 'Description'. It is longer than ${MAX_NAME_LENGTH} characters.`)
    const name = p.Name ?? category.nodeName
    store.db.prepare('UPDATE tblNode SET nodeName = ?, nodeDesc = ? WHERE nodeID = ?').run(name, p.Description ?? category.nodeDesc, category.nodeID)
    return { output: [say(`category ${store.pool.fqdn}\\${category.nodeName} updated${p.Name !== undefined ? `, now named '${name}'` : ''}`)], data: { Identity: `${store.pool.fqdn}\\${name}`, Name: name, Description: p.Description ?? category.nodeDesc } }
  } finally {
    store.db.close()
  }
}
