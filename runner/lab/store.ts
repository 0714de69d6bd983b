/** Opening the lab emulator's SQLite stores, with the settings every connection needs. */
import Database from 'better-sqlite3'
import { existsSync } from 'node:fs'
import { LabError } from './errors.js'
import { CHAT_INDEX_DDL, NODE_TYPE, ROOT_NODE_ID, tablesDdl } from './schema.js'
import type { StoreKind } from './schema.js'

export type Store = Database.Database

/** Opens an existing lab store. Connections are short-lived (one per command), so a backup or
 * restore between commands never races an open handle. */
export function openStore(file: string, options: { readonly readonly?: boolean } = {}): Store {
  if (!existsSync(file)) throw new LabError(`store ${file} does not exist; create the lab with 'cutover lab init'`)
  // Read-only is query_only on a read-write connection: after a crash mid-transaction the file has
  // a hot journal, which only a connection that may write can roll back before reading.
  const db = new Database(file, { fileMustExist: true })
  // A reader (inventory, verification) may hold the file while a command writes: wait, do not fail.
  db.pragma('busy_timeout = 10000')
  if (options.readonly === true) db.pragma('query_only = ON')
  return db
}

/** Creates an empty store with only the root category (node 1, its own parent). */
export function createStore(file: string, kind: StoreKind, rootGuid: string, createdOn: string): Store {
  const db = new Database(file)
  db.exec(tablesDdl(kind))
  db.exec(CHAT_INDEX_DDL)
  db.prepare(
    'INSERT INTO tblNode (nodeID, nodeGuid, parentID, nodeType, nodeName, nodeDesc, invite, logged, filePost, disabled, behavior, visibility, nodeAddedOn, nodeUpdatedOn) VALUES (@id, @guid, @id, @type, @name, @desc, 0, 1, 0, 0, 4, 6, @on, @on)',
  ).run({ id: ROOT_NODE_ID, guid: rootGuid, type: NODE_TYPE.category, name: 'Root', desc: 'Root category', on: createdOn })
  return db
}
