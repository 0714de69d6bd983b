/**
 * What the lab emulator's Import-CsPersistentChatData will do with an export's categories, rooms,
 * principals, roles and scopes — decided before anything is written, so an error (a name too
 * long once flattened) leaves the target untouched, and -WhatIf can report the same findings.
 * Pure: no I/O.
 */
import { MAX_NAME_LENGTH, flattenedName, nameKey } from '../../plan/names.js'
import type { AddinRecord, CategoryRecord, HeaderRecord, PrincipalRecord, RoleRecord, RoomRecord, ScopeRecord } from '../export-format.js'
import { PRINCIPAL_STATE, PRINCIPAL_TYPE, ROOT_NODE_ID } from '../schema.js'
import { say } from '../result.js'

export interface ImportMetadata {
  readonly header: HeaderRecord
  readonly addins: readonly AddinRecord[]
  readonly principals: readonly PrincipalRecord[]
  readonly categories: readonly CategoryRecord[]
  readonly rooms: readonly RoomRecord[]
  readonly roles: readonly RoleRecord[]
  readonly scopes: readonly ScopeRecord[]
}

/** Names already in the target store (case-folded) and their node ids. */
export interface TargetNames {
  readonly categories: ReadonlyMap<string, number>
  readonly rooms: ReadonlyMap<string, number>
}

export interface PlannedCategory {
  readonly record: CategoryRecord
  /** The flattened name it gets in Persistent Chat. */
  readonly name: string
}

export interface PlannedRoom {
  readonly record: RoomRecord
  readonly name: string
  /** Invitations after the category check (a room cannot turn them on when its category has them off). */
  readonly invite: number | null
}

export interface ImportPlan {
  readonly categories: readonly PlannedCategory[]
  readonly rooms: readonly PlannedRoom[]
  /** Roles kept on imported categories and rooms. */
  readonly roles: readonly RoleRecord[]
  /** Principals managing the legacy root category: they become managers of every imported room. */
  readonly rootManagers: readonly number[]
  readonly scopes: readonly ScopeRecord[]
  readonly droppedPrincipals: ReadonlySet<number>
  readonly droppedRoles: number
  readonly droppedScopes: number
  readonly overwrittenCategories: number
  readonly overwrittenRooms: number
  readonly errors: readonly string[]
  readonly warnings: readonly string[]
}

const STATE_TEXT: Readonly<Record<number, string>> = { [PRINCIPAL_STATE.sipDisabled]: 'SIP disabled', [PRINCIPAL_STATE.deleted]: 'AD object deleted' }

function shown(path: readonly string[]): string {
  const text = path.join('/')
  return text.length > 80 ? `${text.slice(0, 50)}...${text.slice(-20)}` : text
}

function few(names: readonly string[]): string {
  return `${names.slice(0, 5).map((n) => `'${n}'`).join(', ')}${names.length > 5 ? `, and ${names.length - 5} more` : ''}`
}

/** Decides the import. `sipDomain` tells federated principals (other domains) from local ones. */
export function planImport(meta: ImportMetadata, target: TargetNames, sipDomain: string): ImportPlan {
  const errors: string[] = []
  const warnings: string[] = []
  const tooLong = (what: string, path: readonly string[], name: string): void => {
    if (name.length > MAX_NAME_LENGTH) {
      errors.push(say(`${what} '${shown(path)}' is ${name.length} characters once nested categories are flattened; Persistent Chat allows ${MAX_NAME_LENGTH} (parent names included): shorten it, or leave its category out of the export`))
    }
  }

  const categoryById = new Map(meta.categories.map((c) => [c.id, c]))
  const flatNames = new Map<string, string>()
  const sameFlatName = (path: readonly string[], name: string): void => {
    const key = nameKey(name)
    const earlier = flatNames.get(key)
    if (earlier !== undefined) warnings.push(say(`'${shown(path)}' and '${earlier}' both become '${name}' once flattened: the later one overwrites the earlier`))
    else flatNames.set(key, shown(path))
  }
  const categories = meta.categories.map((record) => {
    const name = flattenedName(record.path)
    tooLong('category', record.path, name)
    sameFlatName(record.path, name)
    return { record, name }
  })
  flatNames.clear()
  const rooms: PlannedRoom[] = []
  for (const record of meta.rooms) {
    const name = flattenedName(record.path)
    tooLong('room', record.path, name)
    sameFlatName(record.path, name)
    const category = categoryById.get(record.category)
    if (category === undefined) {
      errors.push(say(`room '${shown(record.path)}' is in category ${record.category}, which is not in the export file`))
      continue
    }
    let invite = record.invite
    if (invite === 1 && category.invite === 0) {
      warnings.push(say(`room '${shown(record.path)}' has invitations on but its category '${shown(category.path)}' has them off: invitations are set off`))
      invite = 0
    }
    rooms.push({ record, name, invite })
  }

  const principals = new Map(meta.principals.map((p) => [p.id, p]))
  const nodes = new Set([ROOT_NODE_ID, ...meta.categories.map((c) => c.id), ...meta.rooms.map((r) => r.id)])
  for (const ref of [...meta.roles, ...meta.scopes]) {
    if (!principals.has(ref.principal)) errors.push(say(`a ${ref.type} names principal ${ref.principal}, which is not in the export file`))
    if (!nodes.has(ref.node)) errors.push(say(`a ${ref.type} names node ${ref.node}, which is not in the export file`))
  }

  const rolesOf = new Map<number, number>()
  for (const r of meta.roles) rolesOf.set(r.principal, (rolesOf.get(r.principal) ?? 0) + 1)
  const scopesOf = new Map<number, number>()
  for (const s of meta.scopes) scopesOf.set(s.principal, (scopesOf.get(s.principal) ?? 0) + 1)
  const dropped = new Set<number>()
  for (const p of meta.principals) {
    const roleCount = rolesOf.get(p.id) ?? 0
    const scopeCount = scopesOf.get(p.id) ?? 0
    if (roleCount + scopeCount === 0) continue
    const label = p.uri ?? p.name
    if (p.disabled !== PRINCIPAL_STATE.active) {
      dropped.add(p.id)
      warnings.push(say(`principal not provisioned: ${label} (${STATE_TEXT[p.disabled] ?? `state ${p.disabled}`}); its ${roleCount} role(s) and ${scopeCount} scope entr${scopeCount === 1 ? 'y' : 'ies'} are dropped`))
    } else if (p.kind === PRINCIPAL_TYPE.user && p.uri !== null && !p.uri.toLowerCase().endsWith(`@${sipDomain.toLowerCase()}`)) {
      warnings.push(say(`federated principal ${p.uri} is kept with its ${roleCount} role(s), but Persistent Chat does not support federation: it loses access`))
    }
  }

  const rootManagers = meta.roles.filter((r) => r.node === ROOT_NODE_ID && r.role === 'Manager' && !dropped.has(r.principal)).map((r) => r.principal)
  if (rootManagers.length > 0) warnings.push(say(`${rootManagers.length} manager(s) of the root category become managers of every imported room (remove them before the export if that is unwanted)`))

  const overwrittenCategories = categories.filter((c) => target.categories.has(nameKey(c.name))).map((c) => c.name)
  const overwrittenRooms = rooms.filter((r) => target.rooms.has(nameKey(r.name))).map((r) => r.name)
  if (overwrittenCategories.length > 0) warnings.push(say(`${overwrittenCategories.length} categor${overwrittenCategories.length === 1 ? 'y' : 'ies'} already in the Persistent Chat store are overwritten by same-named legacy ones: ${few(overwrittenCategories)}`))
  if (overwrittenRooms.length > 0) warnings.push(say(`${overwrittenRooms.length} room(s) already in the Persistent Chat store are overwritten by same-named legacy ones (their messages stay, the imported ones are added): ${few(overwrittenRooms)}`))

  const keptRoles = meta.roles.filter((r) => r.node !== ROOT_NODE_ID && !dropped.has(r.principal))
  return {
    categories,
    rooms,
    roles: keptRoles,
    rootManagers,
    scopes: meta.scopes.filter((s) => !dropped.has(s.principal)),
    droppedPrincipals: dropped,
    droppedRoles: meta.roles.filter((r) => dropped.has(r.principal)).length,
    droppedScopes: meta.scopes.filter((s) => dropped.has(s.principal)).length,
    overwrittenCategories: overwrittenCategories.length,
    overwrittenRooms: overwrittenRooms.length,
    errors,
    warnings,
  }
}
