/**
 * A Group Chat store on SQL Server for the integration suite: the tables and columns of
 * runner/lab/schema.ts (docs/microsoft-facts.md#database-schema) in T-SQL, filled with the rows of a seeded lab store, so
 * that the same queries can be run on both and must answer the same.
 */
import Database from 'better-sqlite3'
import type { SqlClient, SqlParam } from '../../runner/core/sql-client.js'

/** The legacy store's tables, foreign keys enforced as in the lab. */
export const LEGACY_DDL = `CREATE TABLE tblSiopWhiteList (
  siopID int NOT NULL PRIMARY KEY,
  siopName nvarchar(256) NOT NULL,
  siopUrl nvarchar(1024) NOT NULL
);
CREATE TABLE tblNode (
  nodeID int NOT NULL PRIMARY KEY,
  nodeGuid uniqueidentifier NOT NULL UNIQUE,
  parentID int NOT NULL REFERENCES tblNode (nodeID),
  nodeType int NOT NULL CHECK (nodeType IN (0, 1)),
  nodeName nvarchar(256) NOT NULL,
  nodeDesc nvarchar(256) NULL,
  invite int NULL CHECK (invite IN (0, 1)),
  logged int NULL,
  filePost int NULL,
  disabled int NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  behavior int NOT NULL DEFAULT 4 CHECK (behavior IN (4, 5)),
  visibility int NOT NULL DEFAULT 6 CHECK (visibility IN (2, 3, 6)),
  siopID int NULL REFERENCES tblSiopWhiteList (siopID),
  nodeAddedBy int NULL,
  nodeAddedOn datetime2(0) NULL,
  nodeUpdatedBy int NULL,
  nodeUpdatedOn datetime2(0) NULL,
  purgedOn datetime2(0) NULL,
  topic nvarchar(1024) NULL,
  inheritance int NOT NULL DEFAULT 1
);
CREATE TABLE tblPrincipal (
  prinID int NOT NULL PRIMARY KEY,
  prinGuid uniqueidentifier NOT NULL UNIQUE,
  prinUri nvarchar(512) NULL,
  prinName nvarchar(512) NOT NULL,
  prinDisplayName nvarchar(512) NULL,
  prinEmail nvarchar(512) NULL,
  prinDisabled int NOT NULL DEFAULT 0 CHECK (prinDisabled IN (0, 1, 2)),
  prinTypeID int NOT NULL CHECK (prinTypeID IN (4, 5, 9, 10))
);
CREATE TABLE tblRoleType (
  rtypeID int NOT NULL PRIMARY KEY,
  rtypeDesc nvarchar(64) NOT NULL,
  rtypeAllowedPermSet int NOT NULL
);
CREATE TABLE tblPrincipalRole (
  prinRoleNodeID int NOT NULL REFERENCES tblNode (nodeID),
  prinRolePrinID int NOT NULL REFERENCES tblPrincipal (prinID),
  prinRoleTypeID int NOT NULL REFERENCES tblRoleType (rtypeID),
  PRIMARY KEY (prinRoleNodeID, prinRolePrinID, prinRoleTypeID)
);
CREATE TABLE tblScopePrincipal (
  scopeNodeID int NOT NULL REFERENCES tblNode (nodeID),
  scopePrinID int NOT NULL REFERENCES tblPrincipal (prinID),
  scopeIsDenied int NOT NULL DEFAULT 0 CHECK (scopeIsDenied IN (0, 1)),
  PRIMARY KEY (scopeNodeID, scopePrinID)
);
CREATE TABLE tblChat (
  channelId int NOT NULL REFERENCES tblNode (nodeID),
  chatId int NOT NULL,
  chatDate bigint NOT NULL,
  userId int NOT NULL REFERENCES tblPrincipal (prinID),
  isAlert int NOT NULL DEFAULT 0 CHECK (isAlert IN (0, 1)),
  content nvarchar(max) NOT NULL,
  rtf nvarchar(max) NULL
);
CREATE INDEX ixNodeParent ON tblNode (parentID);
CREATE INDEX ixPrincipalUri ON tblPrincipal (prinUri);
CREATE INDEX ixRolePrincipal ON tblPrincipalRole (prinRolePrinID);
CREATE INDEX ixChatChannel ON tblChat (channelId, chatId);`

interface TableCopy {
  readonly table: string
  readonly columns: readonly string[]
  /** What SQLite selects for each column (ticks as text: they are past 2^53). */
  readonly select?: string
}

// Parents before children (rowid order is the lab's insert order), so every batch satisfies its keys.
const TABLES: readonly TableCopy[] = [
  { table: 'tblSiopWhiteList', columns: ['siopID', 'siopName', 'siopUrl'] },
  { table: 'tblRoleType', columns: ['rtypeID', 'rtypeDesc', 'rtypeAllowedPermSet'] },
  { table: 'tblPrincipal', columns: ['prinID', 'prinGuid', 'prinUri', 'prinName', 'prinDisplayName', 'prinEmail', 'prinDisabled', 'prinTypeID'] },
  { table: 'tblNode', columns: ['nodeID', 'nodeGuid', 'parentID', 'nodeType', 'nodeName', 'nodeDesc', 'invite', 'logged', 'filePost', 'disabled', 'behavior', 'visibility', 'siopID', 'nodeAddedBy', 'nodeAddedOn', 'nodeUpdatedBy', 'nodeUpdatedOn', 'purgedOn', 'topic', 'inheritance'] },
  { table: 'tblPrincipalRole', columns: ['prinRoleNodeID', 'prinRolePrinID', 'prinRoleTypeID'] },
  { table: 'tblScopePrincipal', columns: ['scopeNodeID', 'scopePrinID', 'scopeIsDenied'] },
  { table: 'tblChat', columns: ['channelId', 'chatId', 'chatDate', 'userId', 'isAlert', 'content', 'rtf'], select: 'channelId, chatId, CAST(chatDate AS TEXT) AS chatDate, userId, isAlert, content, rtf' },
]

// SQL Server takes at most 2100 parameters per request.
const MAX_PARAMS = 2000

/** Creates the legacy tables in the database `sql` is connected to and copies every row of the
 * lab store `sqliteFile` into them; returns the rows copied per table. */
export async function copyLegacyStore(sqliteFile: string, sql: SqlClient): Promise<Record<string, number>> {
  await sql.query(LEGACY_DDL)
  const lab = new Database(sqliteFile, { readonly: true, fileMustExist: true })
  const copied: Record<string, number> = {}
  try {
    for (const t of TABLES) {
      const rows = lab.prepare(`SELECT ${t.select ?? t.columns.join(', ')} FROM ${t.table} ORDER BY rowid`).all() as Record<string, SqlParam>[]
      // ... and at most 1000 rows in one VALUES list.
      const perBatch = Math.min(1000, Math.max(1, Math.floor(MAX_PARAMS / t.columns.length)))
      for (let start = 0; start < rows.length; start += perBatch) {
        const batch = rows.slice(start, start + perBatch)
        const params: Record<string, SqlParam> = {}
        const values = batch.map((row, r) => `(${t.columns.map((c, i) => {
          const name = `p${r}_${i}`
          params[name] = row[c] ?? null
          return `@${name}`
        }).join(', ')})`)
        await sql.query(`INSERT INTO ${t.table} (${t.columns.join(', ')}) VALUES ${values.join(', ')}`, params)
      }
      copied[t.table] = rows.length
    }
  } finally {
    lab.close()
  }
  return copied
}
