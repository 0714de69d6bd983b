/** What the lab emulator's Export-CsPersistentChatData reads from a store: the categories and
 * rooms it selects (by -Scope), with their full paths, and the rows that hang off them. */
import { nameKey } from '../../plan/names.js'
import { LabCommandError, LabError } from '../errors.js'
import type { AddinRecord, CategoryRecord, PrincipalRecord, RoleName, RoleRecord, RoomRecord, ScopeRecord } from '../export-format.js'
import { NODE_TYPE, ROLE_NAMES, ROOT_NODE_ID } from '../schema.js'
import type { RoleId } from '../schema.js'
import type { Store } from '../store.js'

interface NodeRow {
  readonly nodeID: number
  readonly nodeGuid: string
  readonly parentID: number
  readonly nodeType: number
  readonly nodeName: string
  readonly nodeDesc: string | null
  readonly invite: number | null
  readonly logged: number | null
  readonly filePost: number | null
  readonly disabled: number
  readonly behavior: number
  readonly visibility: number
  readonly siopID: number | null
  readonly nodeAddedBy: number | null
  readonly nodeAddedOn: string | null
  readonly nodeUpdatedBy: number | null
  readonly nodeUpdatedOn: string | null
  readonly topic: string | null
}

export interface Selection {
  /** Parents first. */
  readonly categories: readonly CategoryRecord[]
  readonly rooms: readonly RoomRecord[]
  /** Disabled rooms are how an admin keeps a room out of the migration (docs/microsoft-facts.md#the-documented-preparation): not exported. */
  readonly disabledRooms: number
}

function loadNodes(db: Store, legacy: boolean): NodeRow[] {
  return db
    .prepare(
      `SELECT nodeID, nodeGuid, parentID, nodeType, nodeName, nodeDesc, invite, logged, filePost, disabled, behavior, visibility, siopID,
        nodeAddedBy, nodeAddedOn, nodeUpdatedBy, nodeUpdatedOn, ${legacy ? 'topic' : 'NULL AS topic'} FROM tblNode ORDER BY nodeID`,
    )
    .all() as NodeRow[]
}

/** Selects the categories (all, or those named in `scope`) and their enabled rooms. */
export function selectNodes(db: Store, legacy: boolean, scope: readonly string[] | undefined, cmdlet: string): Selection {
  const rows = loadNodes(db, legacy)
  const byId = new Map(rows.map((r) => [r.nodeID, r]))
  const paths = new Map<number, readonly string[]>()
  const pathOf = (row: NodeRow, seen = 0): readonly string[] => {
    const known = paths.get(row.nodeID)
    if (known !== undefined) return known
    const parent = byId.get(row.parentID)
    if (parent === undefined || seen > 64) throw new LabCommandError(cmdlet, `node ${row.nodeID} ('${row.nodeName}') has no valid parent chain`)
    const path = parent.nodeID === ROOT_NODE_ID ? [row.nodeName] : [...pathOf(parent, seen + 1), row.nodeName]
    paths.set(row.nodeID, path)
    return path
  }
  const allCategories = rows.filter((r) => r.nodeType === NODE_TYPE.category && r.nodeID !== ROOT_NODE_ID)
  let categories = allCategories
  if (scope !== undefined) {
    const wanted = new Set(scope.map(nameKey))
    const known = new Set(allCategories.map((c) => nameKey(c.nodeName)))
    const unknown = scope.filter((s) => !known.has(nameKey(s)))
    if (unknown.length > 0) throw new LabCommandError(cmdlet, `-Scope names categories that do not exist: ${unknown.map((u) => `'${u}'`).join(', ')}`)
    categories = allCategories.filter((c) => wanted.has(nameKey(c.nodeName)))
  }
  const chosen = new Set(categories.map((c) => c.nodeID))
  const rooms = rows.filter((r) => r.nodeType === NODE_TYPE.room && chosen.has(r.parentID))
  const node = (r: NodeRow): Omit<CategoryRecord, 'type' | 'parent' | 'invite' | 'logged' | 'filePost'> => ({
    id: r.nodeID, guid: r.nodeGuid, path: pathOf(r), description: r.nodeDesc, disabled: r.disabled,
    addedBy: r.nodeAddedBy, addedOn: r.nodeAddedOn, updatedBy: r.nodeUpdatedBy, updatedOn: r.nodeUpdatedOn,
  })
  return {
    categories: categories
      .map((r): CategoryRecord => ({ type: 'category', ...node(r), parent: r.parentID, invite: r.invite, logged: r.logged, filePost: r.filePost }))
      .sort((a, b) => a.path.length - b.path.length || a.id - b.id),
    rooms: rooms
      .filter((r) => r.disabled === 0)
      .map((r): RoomRecord => ({ type: 'room', ...node(r), category: r.parentID, invite: r.invite, behavior: r.behavior, visibility: r.visibility, addin: r.siopID, topic: r.topic })),
    disabledRooms: rooms.filter((r) => r.disabled !== 0).length,
  }
}

export function loadAddins(db: Store): AddinRecord[] {
  return (db.prepare('SELECT siopID, siopName, siopUrl FROM tblSiopWhiteList ORDER BY siopID').all() as { siopID: number; siopName: string; siopUrl: string }[]).map((r) => ({
    type: 'addin', id: r.siopID, name: r.siopName, url: r.siopUrl,
  }))
}

export function loadPrincipals(db: Store): PrincipalRecord[] {
  const rows = db.prepare('SELECT prinID, prinGuid, prinUri, prinName, prinDisplayName, prinEmail, prinDisabled, prinTypeID FROM tblPrincipal ORDER BY prinID').all() as {
    prinID: number; prinGuid: string; prinUri: string | null; prinName: string; prinDisplayName: string | null; prinEmail: string | null; prinDisabled: number; prinTypeID: number
  }[]
  return rows.map((r) => ({ type: 'principal', id: r.prinID, guid: r.prinGuid, uri: r.prinUri, name: r.prinName, displayName: r.prinDisplayName, email: r.prinEmail, disabled: r.prinDisabled, kind: r.prinTypeID }))
}

/** Roles on the selected nodes, and on the root category (its managers become managers of every room). */
export function loadRoles(db: Store, nodes: ReadonlySet<number>): RoleRecord[] {
  const rows = db.prepare('SELECT prinRoleNodeID, prinRolePrinID, prinRoleTypeID FROM tblPrincipalRole ORDER BY prinRoleNodeID, prinRolePrinID, prinRoleTypeID').all() as {
    prinRoleNodeID: number; prinRolePrinID: number; prinRoleTypeID: number
  }[]
  return rows
    .filter((r) => r.prinRoleNodeID === ROOT_NODE_ID || nodes.has(r.prinRoleNodeID))
    .map((r) => {
      const role = ROLE_NAMES[r.prinRoleTypeID as RoleId] as RoleName | undefined
      if (role === undefined) throw new LabError(`tblPrincipalRole holds role type ${r.prinRoleTypeID}, which tblRoleType does not define`)
      return { type: 'role', node: r.prinRoleNodeID, principal: r.prinRolePrinID, role }
    })
}

export function loadScopes(db: Store, nodes: ReadonlySet<number>): ScopeRecord[] {
  const rows = db.prepare('SELECT scopeNodeID, scopePrinID, scopeIsDenied FROM tblScopePrincipal ORDER BY scopeNodeID, scopePrinID').all() as {
    scopeNodeID: number; scopePrinID: number; scopeIsDenied: number
  }[]
  return rows.filter((r) => nodes.has(r.scopeNodeID)).map((r) => ({ type: 'scope', node: r.scopeNodeID, principal: r.scopePrinID, denied: r.scopeIsDenied === 1 }))
}
