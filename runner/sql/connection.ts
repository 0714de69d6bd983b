/**
 * ADO.NET connection strings, as admins copy them from SSMS or a .config file, turned into the
 * mssql (tedious) configuration cutover connects with.
 *
 * mssql's own parser (ConnectionPool.parseConnectionString, built on @tediousjs/connection-string)
 * does the parsing: quoting, aliases (Server/Data Source/Address, Database/Initial Catalog, User
 * Id/UID, Password/PWD), `host\instance`, `host,port`, `tcp:` and `DOMAIN\user` (NTLM). It drops
 * the keys it has no use for, so the three that decide something here are read from the raw
 * parse: Integrated Security (tedious cannot use it, so it must fail clearly), Application Name,
 * and Encrypt (mssql turns Optional and Strict into plain true).
 */
import { CutoverError, EXIT } from '../core/errors.js'
import { MSSQL_SCHEMA, parse } from '@tediousjs/connection-string'
import mssql from 'mssql'
import type { config as MssqlConfig } from 'mssql'

/** Per query, unless the caller or `Request Timeout=<ms>` says otherwise: long enough for a
 * message count over tens of millions of rows, short enough that a blocked query does not hang
 * a run for good. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5 * 60_000
/** Shown in sys.dm_exec_sessions.program_name, so a DBA can tell cutover's sessions apart. */
export const APPLICATION_NAME = 'cutover'

/** The connection string cannot work; the message says what to change and never repeats the
 * string or its password. */
export class ConnectionStringError extends CutoverError {
  override readonly name = 'ConnectionStringError'
  readonly exitCode = EXIT.failed
}

export interface PoolSettings {
  readonly max: number
  readonly min: number
  readonly idleTimeoutMillis: number
  readonly reapIntervalMillis?: number
}

export interface ConnectionOverrides {
  /** Connect to this database instead of the one the string names (master, for RESTORE). */
  readonly database?: string
  /** Per query; wins over `Request Timeout=` in the string. 0 waits for ever. */
  readonly requestTimeoutMs?: number
  readonly pool?: PoolSettings
}

const INTEGRATED_ADVICE =
  'Integrated Security logs in as the Windows account running cutover, which the SQL Server driver cutover uses (tedious) cannot do; ' +
  'use a SQL login (User Id=cutover;Password=${env:NAME}) or a domain account through NTLM (User Id=DOMAIN\\user;Password=${env:NAME})'

/** tedious takes true, false or 'strict'; ADO.NET's Optional means "do not require it". */
function encryptionOf(raw: string | undefined): boolean | 'strict' {
  if (raw === undefined) return true
  const value = raw.trim().toLowerCase()
  if (value === 'strict') return 'strict'
  return !['false', 'no', '0', 'optional'].includes(value)
}

/** The mssql configuration of an ADO.NET connection string with cutover's defaults: encrypted,
 * certificate checked, application name `cutover`, a request timeout of DEFAULT_REQUEST_TIMEOUT_MS.
 * Throws ConnectionStringError naming what to change. */
export function mssqlConfig(connectionString: string, overrides: ConnectionOverrides = {}): MssqlConfig {
  let raw: ReturnType<typeof parse>
  let parsed: ReturnType<typeof mssql.ConnectionPool.parseConnectionString>
  try {
    raw = parse(connectionString)
    parsed = mssql.ConnectionPool.parseConnectionString(connectionString)
  } catch (error) {
    // The parsers' messages are generic ("Malformed connection string"); never echo the input.
    throw new ConnectionStringError(`the connection string cannot be read (${error instanceof Error ? error.message : 'unknown problem'}); write it as Key=Value pairs separated by ';', quoting a value that holds ';' in double quotes`)
  }
  const known = raw.toSchema(MSSQL_SCHEMA)
  if (typeof parsed.server !== 'string' || parsed.server.trim() === '') {
    throw new ConnectionStringError('the connection string names no server; add Server=host, Server=host\\instance or Server=host,port')
  }
  const hasUser = typeof parsed.user === 'string' && parsed.user !== ''
  const hasPassword = typeof parsed.password === 'string' && parsed.password !== ''
  const integrated = known['integrated security'] === true
  const otherAuthentication = (parsed as { authentication_type?: string }).authentication_type !== undefined
  if (!hasUser && !otherAuthentication) {
    throw new ConnectionStringError(integrated ? INTEGRATED_ADVICE : 'the connection string names no login; add User Id=...;Password=${env:NAME} (or User Id=DOMAIN\\user for a domain account)')
  }
  // With explicit credentials ADO.NET would still use Windows authentication; tedious cannot, and
  // the admin wrote an account, so that account is used (NTLM for DOMAIN\user).
  if (parsed.domain !== undefined && !hasPassword) {
    throw new ConnectionStringError(`the domain account ${parsed.domain}\\${parsed.user ?? ''} needs its password for NTLM; add Password=\${env:NAME}`)
  }
  // ADO.NET takes whole seconds (Connect Timeout) and cutover milliseconds (Request Timeout); a
  // value that is not a number would reach the driver as NaN and show as "NaNms" when it fails.
  for (const [field, key, unit] of [['connectionTimeout', 'Connect Timeout', 'seconds'], ['requestTimeout', 'Request Timeout', 'milliseconds']] as const) {
    const value = parsed[field]
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new ConnectionStringError(`${key} in the connection string is not a number of ${unit} (0 or more); write e.g. ${key}=${unit === 'seconds' ? '30' : '300000'}`)
    }
  }
  const appName = typeof known['application name'] === 'string' && known['application name'] !== '' ? known['application name'] : APPLICATION_NAME
  const requestTimeout = overrides.requestTimeoutMs ?? parsed.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT_MS
  return {
    ...parsed,
    server: parsed.server.trim(),
    ...(overrides.database === undefined ? {} : { database: overrides.database }),
    requestTimeout,
    options: {
      ...parsed.options,
      encrypt: encryptionOf(raw.get('encrypt')),
      trustServerCertificate: parsed.options.trustServerCertificate === true,
      appName,
    },
    pool: { ...parsed.pool, ...overrides.pool },
  }
}
