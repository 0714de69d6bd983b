/** The lab emulator's import writes into a Persistent Chat store: names already there, the
 * metadata transaction, and message batches. */
import { randomUUID } from 'node:crypto'
import { nameKey } from '../../plan/names.js'
import type { ImportMetadata, ImportPlan, TargetNames } from './import-plan.js'
import { NODE_TYPE, ROLE, ROOT_NODE_ID } from '../schema.js'
import type { RoleId } from '../schema.js'
import type { Store } from '../store.js'
import type { RoleName } from '../export-format.js'

const ROLE_IDS: Readonly<Record<RoleName, RoleId>> = { Member: ROLE.member, Manager: ROLE.manager, Voiced: ROLE.presenter, Creator: ROLE.creator }

export function readTargetNames(db: Store): TargetNames {
  const rows = db.prepare('SELECT nodeID, nodeType, nodeName FROM tblNode WHERE nodeID <> @root').all({ root: ROOT_NODE_ID }) as { nodeID: number; nodeType: number; nodeName: string }[]
  const categories = new Map<string, number>()
  const rooms = new Map<string, number>()
  for (const r of rows) (r.nodeType === NODE_TYPE.category ? categories : rooms).set(nameKey(r.nodeName), r.nodeID)
  return { categories, rooms }
}

/** SQLite's NOCASE folds ASCII letters only. */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase())
}

/** The target's principals by URI as `prinUri = ? COLLATE NOCASE` finds them, read once: that
 * query cannot use the (binary) index on prinUri, so asking it per principal scanned the table
 * per principal, quadratic in the principals of a big import (issue 14). Where several URIs fold
 * alike, the one the query returned first wins: the first in the index's order (binary URI, then
 * prinID). */
function principalsByUri(db: Store): Map<string, number> {
  const rows = db.prepare('SELECT prinID, prinUri FROM tblPrincipal WHERE prinUri IS NOT NULL ORDER BY prinUri, prinID').all() as { prinID: number; prinUri: string }[]
  const byUri = new Map<string, number>()
  for (const r of rows) {
    const key = asciiLower(r.prinUri)
    if (!byUri.has(key)) byUri.set(key, r.prinID)
  }
  return byUri
}

export interface ImportedRoom {
  readonly id: number
  /** The next chatId in the room: messages are appended after any already there. */
  nextChatId: number
}

export interface WrittenMetadata {
  /** Legacy room id → target room. */
  readonly rooms: ReadonlyMap<number, ImportedRoom>
  /** Legacy principal id → target principal id. */
  readonly principals: ReadonlyMap<number, number>
  readonly principalsAdded: number
  readonly roles: number
  readonly scopes: number
}

/** Writes categories, rooms, principals, add-ins, roles and scopes in one transaction. Same-named
 * categories and rooms are overwritten in place (attributes, roles, scopes; a room keeps its
 * messages). `skipRoom` is a legacy room id to leave out (the verify:missing-room fault). */
export function writeMetadata(db: Store, meta: ImportMetadata, plan: ImportPlan, skipRoom: number | undefined): WrittenMetadata {
  return db.transaction((): WrittenMetadata => {
    const names = readTargetNames(db)
    const guids = new Set((db.prepare('SELECT nodeGuid FROM tblNode').pluck().all() as string[]).map((g) => g.toUpperCase()))
    const freshGuid = (guid: string): string => {
      const chosen = guids.has(guid.toUpperCase()) ? randomUUID().toUpperCase() : guid
      guids.add(chosen.toUpperCase())
      return chosen
    }

    const addins = new Map<number, number>()
    const existingAddins = new Map((db.prepare('SELECT siopID, siopName FROM tblSiopWhiteList').all() as { siopID: number; siopName: string }[]).map((a) => [nameKey(a.siopName), a.siopID]))
    const insertAddin = db.prepare('INSERT INTO tblSiopWhiteList (siopName, siopUrl) VALUES (?, ?)')
    for (const a of meta.addins) addins.set(a.id, existingAddins.get(nameKey(a.name)) ?? Number(insertAddin.run(a.name, a.url).lastInsertRowid))

    const principals = new Map<number, number>()
    const byGuid = db.prepare('SELECT prinID FROM tblPrincipal WHERE prinGuid = ?').pluck()
    const byUri = principalsByUri(db)
    const insertPrincipal = db.prepare('INSERT INTO tblPrincipal (prinGuid, prinUri, prinName, prinDisplayName, prinEmail, prinDisabled, prinTypeID) VALUES (?, ?, ?, ?, ?, ?, ?)')
    let principalsAdded = 0
    for (const p of meta.principals) {
      let id = byGuid.get(p.guid) as number | undefined
      if (id === undefined && p.uri !== null) id = byUri.get(asciiLower(p.uri))
      if (id === undefined) {
        id = Number(insertPrincipal.run(p.guid, p.uri, p.name, p.displayName, p.email, p.disabled, p.kind).lastInsertRowid)
        // Found by neither: no principal had this URI, so the new one is what a lookup finds now.
        if (p.uri !== null) byUri.set(asciiLower(p.uri), id)
        principalsAdded++
      }
      principals.set(p.id, id)
    }
    const principal = (legacy: number | null): number | null => (legacy === null ? null : principals.get(legacy) ?? null)

    const insertNode = db.prepare(
      `INSERT INTO tblNode (nodeGuid, parentID, nodeType, nodeName, nodeDesc, invite, logged, filePost, disabled, behavior, visibility, siopID, nodeAddedBy, nodeAddedOn, nodeUpdatedBy, nodeUpdatedOn)
       VALUES (@guid, @parent, @type, @name, @description, @invite, @logged, @filePost, @disabled, @behavior, @visibility, @addin, @addedBy, @addedOn, @updatedBy, @updatedOn)`,
    )
    const updateNode = db.prepare(
      `UPDATE tblNode SET parentID = @parent, nodeName = @name, nodeDesc = @description, invite = @invite, logged = @logged, filePost = @filePost, disabled = @disabled,
       behavior = @behavior, visibility = @visibility, siopID = @addin, nodeUpdatedBy = @updatedBy, nodeUpdatedOn = @updatedOn, purgedOn = NULL WHERE nodeID = @id`,
    )
    const clearRoles = db.prepare('DELETE FROM tblPrincipalRole WHERE prinRoleNodeID = ?')
    const clearScopes = db.prepare('DELETE FROM tblScopePrincipal WHERE scopeNodeID = ?')
    type NodeValues = { guid: string; parent: number; type: number; name: string; description: string | null; invite: number | null; logged: number | null; filePost: number | null; disabled: number; behavior: number; visibility: number; addin: number | null; addedBy: number | null; addedOn: string | null; updatedBy: number | null; updatedOn: string | null }
    const upsert = (existing: Map<string, number>, values: NodeValues): number => {
      const key = nameKey(values.name)
      const id = existing.get(key)
      if (id !== undefined) {
        updateNode.run({ ...values, id })
        clearRoles.run(id)
        clearScopes.run(id)
        return id
      }
      const created = Number(insertNode.run({ ...values, guid: freshGuid(values.guid) }).lastInsertRowid)
      existing.set(key, created)
      return created
    }

    const nodes = new Map<number, number>()
    const categoryNames = new Map(names.categories)
    for (const { record: c, name } of plan.categories) {
      nodes.set(c.id, upsert(categoryNames, {
        guid: c.guid, parent: ROOT_NODE_ID, type: NODE_TYPE.category, name, description: c.description, invite: c.invite ?? 0, logged: c.logged, filePost: c.filePost,
        disabled: c.disabled, behavior: 4, visibility: 6, addin: null, addedBy: principal(c.addedBy), addedOn: c.addedOn, updatedBy: principal(c.updatedBy), updatedOn: c.updatedOn,
      }))
    }
    const rooms = new Map<number, ImportedRoom>()
    const roomNames = new Map(names.rooms)
    const lastChat = db.prepare('SELECT MAX(chatId) FROM tblChat WHERE channelId = ?').pluck()
    for (const { record: r, name, invite } of plan.rooms) {
      const parent = nodes.get(r.category)
      if (r.id === skipRoom || parent === undefined) continue
      const id = upsert(roomNames, {
        guid: r.guid, parent, type: NODE_TYPE.room, name, description: r.description, invite, logged: null, filePost: null, disabled: r.disabled,
        behavior: r.behavior, visibility: r.visibility, addin: r.addin === null ? null : addins.get(r.addin) ?? null,
        addedBy: principal(r.addedBy), addedOn: r.addedOn, updatedBy: principal(r.updatedBy), updatedOn: r.updatedOn,
      })
      nodes.set(r.id, id)
      rooms.set(r.id, { id, nextChatId: ((lastChat.get(id) as number | null) ?? 0) + 1 })
    }

    const insertRole = db.prepare('INSERT OR IGNORE INTO tblPrincipalRole (prinRoleNodeID, prinRolePrinID, prinRoleTypeID) VALUES (?, ?, ?)')
    let roles = 0
    const addRole = (node: number | undefined, prin: number | undefined, role: RoleId): void => {
      if (node !== undefined && prin !== undefined) roles += insertRole.run(node, prin, role).changes
    }
    for (const r of plan.roles) addRole(nodes.get(r.node), principals.get(r.principal), ROLE_IDS[r.role])
    for (const m of plan.rootManagers) for (const room of rooms.values()) addRole(room.id, principals.get(m), ROLE.manager)
    const insertScope = db.prepare('INSERT OR REPLACE INTO tblScopePrincipal (scopeNodeID, scopePrinID, scopeIsDenied) VALUES (?, ?, ?)')
    let scopes = 0
    for (const s of plan.scopes) {
      const node = nodes.get(s.node)
      const prin = principals.get(s.principal)
      if (node !== undefined && prin !== undefined) scopes += insertScope.run(node, prin, s.denied ? 1 : 0).changes
    }
    return { rooms, principals, principalsAdded, roles, scopes }
  })()
}

export type MessageRow = readonly [channelId: number, chatId: number, chatDate: string, userId: number, isAlert: number, content: string, rtf: string | null]

/** Returns a function that inserts one batch of messages in one transaction. */
export function messageInserter(db: Store): (rows: readonly MessageRow[]) => void {
  const insert = db.prepare('INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf) VALUES (?, ?, ?, ?, ?, ?, ?)')
  return db.transaction((rows: readonly MessageRow[]) => {
    for (const row of rows) insert.run(...row)
  })
}
