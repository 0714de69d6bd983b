/**
 * The read-only queries cutover runs on Group Chat and Persistent Chat stores. Written in the
 * subset SQL Server and SQLite both accept (the lab runs the same text), naming their columns
 * (Microsoft supports no `SELECT *`), and aggregating with GROUP BY so their number is fixed
 * whatever the number of rooms.
 */

/** Categories and rooms (the root node 1 is its own parent). */
export const NODES = `SELECT nodeID, parentID, nodeType, nodeName, invite, disabled, visibility, behavior
FROM tblNode
ORDER BY nodeID`

/** Messages per room: since the cutoff (@since, .NET ticks UTC) and in all, so verification can
 * tell an export that honoured -StartDate from one that exported everything. */
export const MESSAGES_PER_ROOM = `SELECT channelId, SUM(CASE WHEN chatDate >= @since THEN 1 ELSE 0 END) AS messages, COUNT(chatId) AS allMessages, MIN(chatDate) AS oldest, MAX(chatDate) AS newest
FROM tblChat
GROUP BY channelId`

/** Role holders per node and role (tblRoleType.rtypeDesc: Member, Manager, Voiced, Creator), of
 * principals the import keeps: active ones (prinDisabled 0); disabled and deleted principals are
 * "not provisioned" and dropped (docs/microsoft-facts.md#the-documented-preparation). */
export const ROLES_PER_NODE = `SELECT r.prinRoleNodeID AS nodeID, t.rtypeDesc AS role, COUNT(r.prinRolePrinID) AS holders
FROM tblPrincipalRole r
INNER JOIN tblPrincipal p ON p.prinID = r.prinRolePrinID
INNER JOIN tblRoleType t ON t.rtypeID = r.prinRoleTypeID
WHERE p.prinDisabled = 0
GROUP BY r.prinRoleNodeID, t.rtypeDesc`

/** Per node, its active managers who also manage the root category (node 1). Import makes root
 * managers managers of every room (docs/microsoft-facts.md#the-documented-preparation), so a room ends with its own managers plus the root's,
 * each counted once: this is the overlap to subtract. */
export const ROOT_MANAGERS_PER_NODE = `SELECT r.prinRoleNodeID AS nodeID, COUNT(r.prinRolePrinID) AS holders
FROM tblPrincipalRole r
INNER JOIN tblPrincipal p ON p.prinID = r.prinRolePrinID
INNER JOIN tblRoleType t ON t.rtypeID = r.prinRoleTypeID
WHERE p.prinDisabled = 0 AND t.rtypeDesc = @manager
  AND r.prinRolePrinID IN (SELECT m.prinRolePrinID FROM tblPrincipalRole m INNER JOIN tblRoleType mt ON mt.rtypeID = m.prinRoleTypeID WHERE m.prinRoleNodeID = 1 AND mt.rtypeDesc = @manager)
GROUP BY r.prinRoleNodeID`

/** Principals by state, for the inventory's summary. */
export const PRINCIPALS_BY_STATE = `SELECT prinDisabled, prinTypeID, COUNT(prinID) AS principals
FROM tblPrincipal
GROUP BY prinDisabled, prinTypeID`

/** Per node, roles held by principals the import will not provision (prinDisabled 1 SIP disabled,
 * 2 AD object deleted): the "principal not provisioned" findings of Import, ahead of time. */
export const UNPROVISIONED_ROLES_PER_NODE = `SELECT r.prinRoleNodeID AS nodeID, p.prinDisabled AS state, COUNT(r.prinRolePrinID) AS holders
FROM tblPrincipalRole r
INNER JOIN tblPrincipal p ON p.prinID = r.prinRolePrinID
WHERE p.prinDisabled <> 0
GROUP BY r.prinRoleNodeID, p.prinDisabled`

/** Per node, roles held by SIP users of another domain than the source's own (@domain and its
 * subdomains, @sub): federated users, who lose access in Persistent Chat (docs/microsoft-facts.md#the-documented-preparation). LIKE is
 * case-insensitive on SQL Server's default collation and, for ASCII, in SQLite. */
export const FEDERATED_ROLES_PER_NODE = `SELECT r.prinRoleNodeID AS nodeID, COUNT(r.prinRolePrinID) AS holders
FROM tblPrincipalRole r
INNER JOIN tblPrincipal p ON p.prinID = r.prinRolePrinID
WHERE p.prinDisabled = 0 AND p.prinUri LIKE 'sip:%' AND NOT (p.prinUri LIKE @domain OR p.prinUri LIKE @sub)
GROUP BY r.prinRoleNodeID`

/** Access-control entries, against Microsoft's sizing limit (under 2 million). */
export const ACCESS_CONTROL_ENTRIES = `SELECT (SELECT COUNT(prinRoleNodeID) FROM tblPrincipalRole) AS roles, (SELECT COUNT(scopeNodeID) FROM tblScopePrincipal) AS scopes`

/** Per room (nodeType @room, 0), its GUID and how many messages it holds. Run on the legacy store
 * and on Persistent Chat before the real import: a target room that has a legacy room's GUID and
 * holds messages means this source was imported already (runner/steps/kinds/import.ts). */
export const ROOM_CONTENT = `SELECT n.nodeGuid, COUNT(c.chatId) AS messages
FROM tblNode n
LEFT JOIN tblChat c ON c.channelId = n.nodeID
WHERE n.nodeType = @room
GROUP BY n.nodeGuid`

export const INVENTORY_QUERIES = [NODES, MESSAGES_PER_ROOM, ROLES_PER_NODE, ROOT_MANAGERS_PER_NODE, PRINCIPALS_BY_STATE, UNPROVISIONED_ROLES_PER_NODE, FEDERATED_ROLES_PER_NODE, ACCESS_CONTROL_ENTRIES] as const

/**
 * What the login of a store's `connection` may do there, for the readiness check (the issue's
 * item 5): read the store, back it up, and CREATE DATABASE, which RESTORE VERIFYONLY and RESTORE
 * HEADERONLY need from SQL Server 2008 on (docs/microsoft-facts.md#facts-from-the-review); and
 * the size of the store's data files, the most its full backup can take. HAS_PERMS_BY_NAME counts
 * permissions held through roles and server permissions (sysadmin, dbcreator) as well. Read-only;
 * @db is the store's database name.
 */
export const PERMISSIONS = `SELECT HAS_PERMS_BY_NAME(@db, 'DATABASE', 'SELECT') AS canRead,
  HAS_PERMS_BY_NAME(@db, 'DATABASE', 'BACKUP DATABASE') AS canBackup,
  HAS_PERMS_BY_NAME('master', 'DATABASE', 'CREATE DATABASE') AS canCreateDatabase,
  (SELECT SUM(CAST(f.size AS bigint)) * 8192 FROM sys.master_files f WHERE f.database_id = DB_ID(@db) AND f.type = 0) AS dataBytes`

/** How many rooms (nodeType 0) and messages a Persistent Chat store holds: what a target backup
 * records, so that rollback can say what restoring it would delete. */
export const TARGET_TOTALS = `SELECT (SELECT COUNT(nodeID) FROM tblNode WHERE nodeType = 0) AS rooms, (SELECT COUNT(chatId) FROM tblChat) AS messages`
