/**
 * The lab emulator's stores: SQLite files with the tables and columns of the Group Chat and
 * Persistent Chat databases (docs/microsoft-facts.md#database-schema). Types are SQLite's; widths that Microsoft's
 * nvarchar(256) enforces are CHECK constraints, and REFERENCES are enforced (better-sqlite3 turns
 * foreign keys on), so a write the real store would refuse fails here too.
 */

export type StoreKind = 'legacy' | 'pchat'

/** tblRoleType rows, the same in both stores. */
export const ROLE = { member: 1, manager: 2, presenter: 3, creator: 4 } as const
export type RoleId = (typeof ROLE)[keyof typeof ROLE]
/** tblRoleType.rtypeDesc, as Microsoft's schema reference names the four roles. */
export const ROLE_NAMES: Readonly<Record<RoleId, string>> = { 1: 'Member', 2: 'Manager', 3: 'Voiced', 4: 'Creator' }

export const NODE_TYPE = { room: 0, category: 1 } as const
export const BEHAVIOR = { normal: 4, auditorium: 5 } as const
export const VISIBILITY = { private: 2, scoped: 3, open: 6 } as const
export const PRINCIPAL_STATE = { active: 0, sipDisabled: 1, deleted: 2 } as const
export const PRINCIPAL_TYPE = { system: 4, user: 5, group: 9, folder: 10 } as const

/** The root category: node 1, its own parent, in both stores. */
export const ROOT_NODE_ID = 1

function nodeTable(kind: StoreKind): string {
  // Group Chat 2010 has a few more columns than Persistent Chat (Microsoft's schema reference names topic and inheritance).
  const legacyColumns = kind === 'legacy' ? ',\n  topic TEXT,\n  inheritance INTEGER NOT NULL DEFAULT 1' : ''
  return `CREATE TABLE tblNode (
  nodeID INTEGER PRIMARY KEY,
  nodeGuid TEXT NOT NULL UNIQUE,
  parentID INTEGER NOT NULL REFERENCES tblNode(nodeID),
  nodeType INTEGER NOT NULL CHECK (nodeType IN (0, 1)),
  nodeName TEXT NOT NULL CHECK (length(nodeName) BETWEEN 1 AND 256),
  nodeDesc TEXT CHECK (nodeDesc IS NULL OR length(nodeDesc) <= 256),
  invite INTEGER CHECK (invite IS NULL OR invite IN (0, 1)),
  logged INTEGER,
  filePost INTEGER,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  behavior INTEGER NOT NULL DEFAULT 4 CHECK (behavior IN (4, 5)),
  visibility INTEGER NOT NULL DEFAULT 6 CHECK (visibility IN (2, 3, 6)),
  siopID INTEGER REFERENCES tblSiopWhiteList(siopID),
  nodeAddedBy INTEGER,
  nodeAddedOn TEXT,
  nodeUpdatedBy INTEGER,
  nodeUpdatedOn TEXT,
  purgedOn TEXT${legacyColumns}
)`
}

/** The tables; the tblChat index is separate so bulk seeding can build it once at the end. */
export function tablesDdl(kind: StoreKind): string {
  return `
CREATE TABLE labEmulatorInfo (
  infoKey TEXT PRIMARY KEY,
  infoValue TEXT NOT NULL
);
CREATE TABLE tblSiopWhiteList (
  siopID INTEGER PRIMARY KEY,
  siopName TEXT NOT NULL,
  siopUrl TEXT NOT NULL
);
${nodeTable(kind)};
CREATE TABLE tblPrincipal (
  prinID INTEGER PRIMARY KEY,
  prinGuid TEXT NOT NULL UNIQUE,
  prinUri TEXT,
  prinName TEXT NOT NULL,
  prinDisplayName TEXT,
  prinEmail TEXT,
  prinDisabled INTEGER NOT NULL DEFAULT 0 CHECK (prinDisabled IN (0, 1, 2)),
  prinTypeID INTEGER NOT NULL CHECK (prinTypeID IN (4, 5, 9, 10))
);
CREATE TABLE tblRoleType (
  rtypeID INTEGER PRIMARY KEY,
  rtypeDesc TEXT NOT NULL,
  rtypeAllowedPermSet INTEGER NOT NULL
);
CREATE TABLE tblPrincipalRole (
  prinRoleNodeID INTEGER NOT NULL REFERENCES tblNode(nodeID),
  prinRolePrinID INTEGER NOT NULL REFERENCES tblPrincipal(prinID),
  prinRoleTypeID INTEGER NOT NULL REFERENCES tblRoleType(rtypeID),
  PRIMARY KEY (prinRoleNodeID, prinRolePrinID, prinRoleTypeID)
);
CREATE TABLE tblScopePrincipal (
  scopeNodeID INTEGER NOT NULL REFERENCES tblNode(nodeID),
  scopePrinID INTEGER NOT NULL REFERENCES tblPrincipal(prinID),
  scopeIsDenied INTEGER NOT NULL DEFAULT 0 CHECK (scopeIsDenied IN (0, 1)),
  PRIMARY KEY (scopeNodeID, scopePrinID)
);
CREATE TABLE tblChat (
  channelId INTEGER NOT NULL REFERENCES tblNode(nodeID),
  chatId INTEGER NOT NULL,
  chatDate INTEGER NOT NULL,
  userId INTEGER NOT NULL REFERENCES tblPrincipal(prinID),
  isAlert INTEGER NOT NULL DEFAULT 0 CHECK (isAlert IN (0, 1)),
  content TEXT NOT NULL,
  rtf TEXT
);
CREATE INDEX ixNodeParent ON tblNode(parentID);
CREATE INDEX ixPrincipalUri ON tblPrincipal(prinUri);
CREATE INDEX ixRolePrincipal ON tblPrincipalRole(prinRolePrinID);
INSERT INTO tblRoleType (rtypeID, rtypeDesc, rtypeAllowedPermSet) VALUES ${Object.entries(ROLE_NAMES).map(([id, name]) => `(${id}, '${name}', 0)`).join(', ')};
INSERT INTO labEmulatorInfo (infoKey, infoValue) VALUES
  ('note', 'cutover lab emulator store: SQLite with the tables of the Microsoft Persistent Chat schema reference; not a Microsoft database'),
  ('kind', '${kind}');
`
}

/** The index every message read goes through (room, then sequence). */
export const CHAT_INDEX_DDL = 'CREATE INDEX IF NOT EXISTS ixChatChannel ON tblChat(channelId, chatId)'
