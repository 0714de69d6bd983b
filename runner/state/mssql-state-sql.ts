/**
 * The T-SQL of the SQL Server state store. Every value is an `@name` parameter; the one name that
 * cannot be a parameter (CREATE DATABASE's) is quoted on the server with QUOTENAME.
 *
 * The plan's lock is a session-level application lock (sp_getapplock, @LockOwner = 'Session')
 * held by a connection that stays open for the whole run, so SQL Server drops it when that
 * session ends, crash included. Beside it a row names the holder, for whoever is refused. A
 * second, transaction-level applock (the guard) is taken around every change and every reading of
 * the pair, so nobody sees the applock taken without its row, or a row without its applock.
 */

/** Run in master: creates the state database unless it exists. No TRY/CATCH with THROW: THROW is
 * SQL Server 2012's, and Lync's back ends run on 2008 R2. A second run creating it at the same
 * moment gets error 1801, which createDatabaseIfMissing (mssql-database.ts) takes as success. */
export const CREATE_DATABASE_SQL = `IF DB_ID(@db) IS NULL
BEGIN
  DECLARE @create nvarchar(max) = N'CREATE DATABASE ' + QUOTENAME(@db);
  EXEC sys.sp_executesql @create;
END`

/** Run in the state database: the three tables, created once, under a lock so that two first
 * runs cannot both try. */
export const CREATE_TABLES_SQL = `SET XACT_ABORT ON;
DECLARE @guarded int;
BEGIN TRANSACTION;
EXEC @guarded = sys.sp_getapplock @Resource = N'cutover:schema', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 30000;
IF OBJECT_ID(N'dbo.cutoverState', N'U') IS NULL
  CREATE TABLE dbo.cutoverState (
    planName nvarchar(128) NOT NULL CONSTRAINT PK_cutoverState PRIMARY KEY,
    stateJson nvarchar(max) NOT NULL,
    savedAt datetime2(3) NOT NULL
  );
IF OBJECT_ID(N'dbo.cutoverJournal', N'U') IS NULL
BEGIN
  CREATE TABLE dbo.cutoverJournal (
    entryId bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_cutoverJournal PRIMARY KEY,
    planName nvarchar(128) NOT NULL,
    entryJson nvarchar(max) NOT NULL,
    writtenAt datetime2(3) NOT NULL CONSTRAINT DF_cutoverJournal_writtenAt DEFAULT SYSUTCDATETIME()
  );
  CREATE INDEX IX_cutoverJournal_planName ON dbo.cutoverJournal (planName, entryId);
END
IF OBJECT_ID(N'dbo.cutoverLock', N'U') IS NULL
  CREATE TABLE dbo.cutoverLock (
    planName nvarchar(128) NOT NULL CONSTRAINT PK_cutoverLock PRIMARY KEY,
    token uniqueidentifier NOT NULL,
    host nvarchar(255) NOT NULL,
    pid int NOT NULL,
    userName nvarchar(255) NOT NULL,
    command nvarchar(max) NOT NULL,
    startedAt nvarchar(64) NOT NULL,
    sessionId int NOT NULL,
    takenAt datetime2(3) NOT NULL
  );
COMMIT TRANSACTION;`

export const LOAD_SQL = 'SELECT stateJson FROM dbo.cutoverState WHERE planName = @plan'

/** One transaction: a crash leaves the previous state or the new one. */
export const SAVE_SQL = `SET XACT_ABORT ON;
BEGIN TRANSACTION;
UPDATE dbo.cutoverState WITH (UPDLOCK, SERIALIZABLE) SET stateJson = @json, savedAt = SYSUTCDATETIME() WHERE planName = @plan;
IF @@ROWCOUNT = 0
  INSERT INTO dbo.cutoverState (planName, stateJson, savedAt) VALUES (@plan, @json, SYSUTCDATETIME());
COMMIT TRANSACTION;`

export const APPEND_SQL = 'INSERT INTO dbo.cutoverJournal (planName, entryJson) VALUES (@plan, @json)'

export const JOURNAL_SQL = 'SELECT entryId, entryJson FROM dbo.cutoverJournal WHERE planName = @plan ORDER BY entryId'

// The holder row as every lock statement returns it, from the table variable @row.
const HOLDER_COLUMNS = 'r.host, r.pid, r.userName, r.command, r.startedAt, r.sessionId'
const HOLDER_TABLE = 'DECLARE @row TABLE (host nvarchar(255), pid int, userName nvarchar(255), command nvarchar(max), startedAt nvarchar(64), sessionId int);'
const TAKE_GUARD = `EXEC @guarded = sys.sp_getapplock @Resource = @guard, @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 10000;`

/** On the connection that will hold the lock: takes the session applock without waiting and, if
 * granted, writes this holder's row. Returns `granted` (sp_getapplock's code; -100 when the
 * guard was not had in time) and the row found before (the live holder, or a dead one's). */
export const ACQUIRE_SQL = `SET XACT_ABORT ON;
DECLARE @guarded int, @granted int;
${HOLDER_TABLE}
BEGIN TRANSACTION;
${TAKE_GUARD}
IF @guarded < 0
  SET @granted = -100;
ELSE
BEGIN
  EXEC @granted = sys.sp_getapplock @Resource = @resource, @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = 0;
  INSERT INTO @row (host, pid, userName, command, startedAt, sessionId)
    SELECT host, pid, userName, command, startedAt, sessionId FROM dbo.cutoverLock WHERE planName = @plan;
  IF @granted >= 0
  BEGIN
    DELETE FROM dbo.cutoverLock WHERE planName = @plan;
    INSERT INTO dbo.cutoverLock (planName, token, host, pid, userName, command, startedAt, sessionId, takenAt)
      VALUES (@plan, @token, @host, @pid, @user, @command, @startedAt, @@SPID, SYSUTCDATETIME());
  END
END
COMMIT TRANSACTION;
SELECT @granted AS granted, ${HOLDER_COLUMNS} FROM (SELECT 1 AS one) AS o LEFT JOIN @row AS r ON 1 = 1;`

/** On the holding connection: removes this holder's row (only if still its own) and gives the
 * applock back, together. */
export const RELEASE_SQL = `SET XACT_ABORT ON;
DECLARE @guarded int;
BEGIN TRANSACTION;
${TAKE_GUARD}
DELETE FROM dbo.cutoverLock WHERE planName = @plan AND token = @token;
IF APPLOCK_MODE(N'public', @resource, N'Session') <> N'NoLock'
  EXEC sys.sp_releaseapplock @Resource = @resource, @LockOwner = N'Session';
COMMIT TRANSACTION;`

/** From any other connection, when the holding one is gone: its row, if still its own. */
export const FORGET_SQL = 'DELETE FROM dbo.cutoverLock WHERE planName = @plan AND token = @token'

/** Reads the holder row and whether its applock is free, under the guard; `then` runs inside the
 * same transaction, after both are known. */
const holderSnapshot = (then: string): string => `SET XACT_ABORT ON;
DECLARE @guarded int, @free int;
${HOLDER_TABLE}
BEGIN TRANSACTION;
${TAKE_GUARD}
SET @free = APPLOCK_TEST(N'public', @resource, N'Exclusive', N'Session');
INSERT INTO @row (host, pid, userName, command, startedAt, sessionId)
  SELECT host, pid, userName, command, startedAt, sessionId FROM dbo.cutoverLock WHERE planName = @plan;
${then}COMMIT TRANSACTION;
SELECT @free AS free, ${HOLDER_COLUMNS} FROM @row AS r;`

/** The holder row and whether its applock is free (1: nobody holds it, so the holder is gone). */
export const INSPECT_SQL = holderSnapshot('')

/** Removes the holder row when its applock is free; returns the row and `free` either way. */
export const BREAK_SQL = holderSnapshot(`IF @free = 1
  DELETE FROM dbo.cutoverLock WHERE planName = @plan;
`)
