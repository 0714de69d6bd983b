/**
 * SqlClient on SQL Server, through mssql (tedious). One connection pool per client; it connects
 * when opened, so a wrong server, login or database is reported before any step relies on it.
 * Values travel as `@name` parameters of sp_executesql, never inside the SQL text. Every failure
 * becomes a SqlStoreError: one line naming the store and what to check, scrubbed of secrets.
 */
import mssql from 'mssql'
import type { ConnectionPool, Request as MssqlRequest, config as MssqlConfig } from 'mssql'
import type { SqlClient, SqlParam } from '../core/sql-client.js'
import { ConnectionStringError, mssqlConfig } from './connection.js'
import type { PoolSettings } from './connection.js'
import { SqlStoreError, describeMssqlError } from './mssql-errors.js'

export interface MssqlClientOptions {
  /** Which store, for messages: "the legacy store of gc2010 (sql01.contoso.com\GC, GroupChat)". */
  readonly label: string
  /** Per query; otherwise `Request Timeout=<ms>` from the string, or DEFAULT_REQUEST_TIMEOUT_MS. */
  readonly requestTimeoutMs?: number
  /** Scrubs secrets (Secrets.redact); the password of the string is scrubbed in any case. */
  readonly redact?: (text: string) => string
}

/** What only cutover's own SQL Server code changes: the state store and the backups. */
export interface MssqlConnectOverrides {
  /** Connect to this database instead of the one the connection string names. */
  readonly database?: string
  readonly pool?: PoolSettings
}

// nvarchar(4000) for every ordinary string keeps one cached plan per query; longer ones need max.
const NVARCHAR_MAX_INLINE = 4000
const INT_MAX = 2_147_483_647

function bind(request: MssqlRequest, name: string, value: SqlParam): void {
  if (value === null) request.input(name, mssql.NVarChar(NVARCHAR_MAX_INLINE), null)
  else if (typeof value === 'string') request.input(name, value.length > NVARCHAR_MAX_INLINE ? mssql.NVarChar(mssql.MAX) : mssql.NVarChar(NVARCHAR_MAX_INLINE), value)
  else if (Number.isInteger(value)) {
    // A number past 2^53 has already lost digits (.NET ticks do): such values travel as strings.
    if (!Number.isSafeInteger(value)) throw new RangeError(`parameter @${name} (${value}) is beyond 2^53 and has lost precision; pass it as a decimal string`)
    request.input(name, Math.abs(value) <= INT_MAX ? mssql.Int : mssql.BigInt, value)
  } else if (Number.isFinite(value)) request.input(name, mssql.Float, value)
  else throw new RangeError(`parameter @${name} is ${value}, which SQL Server cannot store`)
}

function scrubber(config: MssqlConfig, connectionString: string, redact: ((text: string) => string) | undefined): (text: string) => string {
  // Short values would mangle every message they happen to occur in; Secrets keeps the same limit.
  const secrets = [connectionString, config.password ?? ''].filter((s) => s.length >= 4)
  return (text) => {
    let out = redact === undefined ? text : redact(text)
    for (const s of secrets) out = out.split(s).join('***')
    return out
  }
}

/** A connected SqlClient on the store `connectionString` names; throws SqlStoreError (one line,
 * naming `opts.label`, without secrets) when the string, the server, the login or the database
 * is wrong. `overrides` serve cutover's own state store and backups. */
export async function openMssqlClient(connectionString: string, opts: MssqlClientOptions, overrides: MssqlConnectOverrides = {}): Promise<SqlClient> {
  const redactOnly = scrubber({ server: '' }, connectionString, opts.redact)
  let config: MssqlConfig
  try {
    config = mssqlConfig(connectionString, {
      ...(opts.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: opts.requestTimeoutMs }),
      ...overrides,
    })
  } catch (error) {
    if (!(error instanceof ConnectionStringError)) throw error
    throw new SqlStoreError(redactOnly(`${opts.label}: ${error.message}`), 'config')
  }
  const redact = scrubber(config, connectionString, opts.redact)
  // tedious reports a failed login by its last server message only; the numbers before it tell
  // "no such database" (4060) from "wrong password" (18456).
  let loginErrors: number[] = []
  config.beforeConnect = (connection) => {
    const seen: number[] = []
    loginErrors = seen
    const onError = (token: { readonly number: number }): void => {
      seen.push(token.number)
    }
    connection.on('errorMessage', onError)
    connection.once('connect', () => connection.removeListener('errorMessage', onError))
  }
  const fail = (error: unknown): SqlStoreError => {
    const described = describeMssqlError(error, { label: opts.label, requestTimeoutMs: config.requestTimeout ?? 0, loginErrors, redact })
    return new SqlStoreError(described.message, described.problem, described.number)
  }

  const pool: ConnectionPool = new mssql.ConnectionPool(config)
  // Without a listener, an 'error' a pooled connection emits (a dropped socket) would crash the process.
  pool.on('error', () => undefined)
  try {
    await pool.connect()
  } catch (error) {
    throw fail(error)
  }
  let closed = false
  return {
    async query<Row extends object>(sql: string, params: Readonly<Record<string, SqlParam>> = {}): Promise<Row[]> {
      if (closed) throw new SqlStoreError(`${opts.label}: the connection was closed`, 'connection-lost')
      const request = pool.request()
      for (const [name, value] of Object.entries(params)) bind(request, name, value)
      try {
        const result = await request.query<Row>(sql)
        return result.recordset ?? []
      } catch (error) {
        throw fail(error)
      }
    },
    async close(): Promise<void> {
      if (closed) return
      closed = true
      await pool.close()
    },
  }
}
