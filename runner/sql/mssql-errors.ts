import { CutoverError, EXIT } from '../core/errors.js'
/**
 * What went wrong talking to SQL Server, as one line an admin can act on: which store, what
 * failed, what to check. A pure function of the error objects mssql produces (ConnectionError and
 * RequestError from mssql/lib/error, with `code`, `number`, `originalError`, `precedingErrors`,
 * and tedious' socket error as `cause`), so it can be tested without a server.
 */

export const SQL_PROBLEMS = ['config', 'unreachable', 'tls', 'login', 'database', 'wrong-store', 'permission', 'backup-file', 'timeout', 'connection-lost', 'sql'] as const
export type SqlProblem = (typeof SQL_PROBLEMS)[number]

/** A store could not be used. Exit 1; the message is one line, names the store, and has been
 * scrubbed of every secret. */
export class SqlStoreError extends CutoverError {
  override readonly name = 'SqlStoreError'
  readonly exitCode = EXIT.failed
  readonly problem: SqlProblem
  /** SQL Server's error number, when the server answered with one. */
  readonly number: number | undefined

  constructor(message: string, problem: SqlProblem, number?: number) {
    super(message)
    this.problem = problem
    this.number = number
  }
}

/** The parts of an mssql error this module reads; every field is optional because errors from
 * tedious, Node's sockets and mssql itself each carry a different subset. */
export interface MssqlErrorShape {
  readonly name?: unknown
  readonly message?: unknown
  readonly code?: unknown
  readonly number?: unknown
  readonly originalError?: unknown
  readonly precedingErrors?: unknown
  readonly cause?: unknown
  readonly errors?: unknown
}

export interface ErrorContext {
  /** Which store, e.g. "the legacy store of gc2010 (sql01.contoso.com\GC, GroupChat)". */
  readonly label: string
  readonly requestTimeoutMs: number
  /** Server error numbers received while logging in: tedious keeps only the last message (18456
   * "Login failed"), which hides a 4060 "Cannot open database" sent just before it. */
  readonly loginErrors?: readonly number[]
  /** Scrubs secrets from the final message. */
  readonly redact: (text: string) => string
}

export interface DescribedError {
  readonly message: string
  readonly problem: SqlProblem
  readonly number: number | undefined
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EINSTLOOKUP'])
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|EPROTO/
const LOGIN_NUMBERS = new Set([18456, 18452, 18470, 18486, 18487, 18488])
const DATABASE_NUMBERS = new Set([4060, 911, 916, 945])
const WRONG_STORE_NUMBERS = new Set([208, 207])
const PERMISSION_NUMBERS = new Set([229, 230, 262, 297, 300, 3110, 15247, 1088])
const BACKUP_FILE_NUMBERS = new Set([3201, 3203, 3241, 3266, 3183, 3189])
// Errors that only say another one came first ("BACKUP DATABASE is terminating abnormally").
const FOLLOW_UP_NUMBERS = new Set([3013])

function isObject(value: unknown): value is MssqlErrorShape {
  return typeof value === 'object' && value !== null
}

/** The error, what it wraps and what it aggregates, outermost first (bounded: causes can loop). */
function chain(error: unknown): MssqlErrorShape[] {
  const out: MssqlErrorShape[] = []
  const visit = (e: unknown, depth: number): void => {
    if (!isObject(e) || depth > 6 || out.includes(e)) return
    out.push(e)
    visit(e.originalError, depth + 1)
    visit(e.cause, depth + 1)
    if (Array.isArray(e.errors)) for (const inner of e.errors) visit(inner, depth + 1)
  }
  visit(error, 0)
  return out
}

function codesOf(error: unknown): string[] {
  return chain(error).flatMap((e) => (typeof e.code === 'string' ? [e.code] : []))
}

function numberOf(e: MssqlErrorShape): number | undefined {
  return typeof e.number === 'number' && Number.isInteger(e.number) ? e.number : undefined
}

/** The server's errors of a request, in the order it sent them (mssql throws the last one and
 * keeps the others in precedingErrors). */
function serverErrors(error: unknown): MssqlErrorShape[] {
  if (!isObject(error)) return []
  const preceding = Array.isArray(error.precedingErrors) ? error.precedingErrors.filter(isObject) : []
  return [...preceding, error]
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim()
}

function messageOf(e: unknown): string {
  if (isObject(e) && typeof e.message === 'string' && e.message !== '') return oneLine(e.message)
  return oneLine(String(e))
}

/** The server's messages that say something, follow-ups left out when anything else is there. */
function detailOf(errors: readonly MssqlErrorShape[]): string {
  const telling = errors.filter((e) => !FOLLOW_UP_NUMBERS.has(numberOf(e) ?? -1))
  const messages = [...new Set((telling.length > 0 ? telling : errors).map(messageOf))]
  return messages.join(' / ')
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}

/** The one-line message and category for an error mssql (or tedious, or a socket) raised while
 * `ctx.label` was being used; the message is passed through `ctx.redact`. */
export function describeMssqlError(error: unknown, ctx: ErrorContext): DescribedError {
  const { label } = ctx
  const result = (problem: SqlProblem, message: string, number?: number): DescribedError => ({ problem, message: oneLine(ctx.redact(message)), number })
  const outer = isObject(error) ? error : {}
  const name = typeof outer.name === 'string' ? outer.name : ''
  const code = typeof outer.code === 'string' ? outer.code : ''
  const codes = codesOf(error)
  const detail = messageOf(error)

  if (name === 'ConnectionStringError') return result('config', `${label}: ${detail}`)

  if (name === 'ConnectionError' || code === 'ELOGIN' || code === 'ESOCKET' || code === 'EINSTLOOKUP' || (code === 'ETIMEOUT' && name !== 'RequestError')) {
    if (code === 'ELOGIN') {
      const numbers = ctx.loginErrors ?? []
      if (numbers.some((n) => DATABASE_NUMBERS.has(n)) || /cannot open database/i.test(detail)) {
        return result('database', `${label}: the database does not exist or the login may not open it (${detail}); check Database= in the connection string and that the login is a user of that database`, numbers.find((n) => DATABASE_NUMBERS.has(n)))
      }
      return result('login', `cannot log in to ${label} (${detail}); check User Id and Password (a domain account is written User Id=DOMAIN\\user), that the login exists and is enabled, and for a SQL login that the server allows SQL Server authentication`, numbers.find((n) => LOGIN_NUMBERS.has(n)))
    }
    if (codes.some((c) => TLS_CODES.test(c)) || /certificate|self[- ]signed|ssl|tls/i.test(detail)) {
      return result('tls', `cannot open an encrypted connection to ${label} (${detail}); make this machine trust the server's certificate (NODE_EXTRA_CA_CERTS=ca.pem) and name the server as its certificate does, or, accepting the risk, add TrustServerCertificate=true to the connection string`)
    }
    if (/^Connection lost/i.test(detail) || code === 'ECONNCLOSED') {
      return result('connection-lost', `the connection to ${label} was lost (${detail}); check the network and that SQL Server still runs, then run again`)
    }
    const why = codes.find((c) => UNREACHABLE_CODES.has(c))
    const hint = why === 'ENOTFOUND' || why === 'EAI_AGAIN' ? 'the server name does not resolve: check its spelling and DNS'
      : why === 'EINSTLOOKUP' || code === 'EINSTLOOKUP' || (code === 'ETIMEOUT' && /to [^ ]+\\[^ ]+ in \d+ms/.test(detail)) ? 'the named instance was not found or did not answer: check the instance name, that the SQL Server Browser service runs (UDP 1434), or give the port as Server=host,port'
        : 'check the server name and port (Server=host,port or host\\instance), that SQL Server accepts TCP/IP connections, and the firewall'
    return result('unreachable', `cannot reach ${label} (${detail}${why !== undefined && !detail.includes(why) ? `: ${why}` : ''}); ${hint}`)
  }

  if (code === 'ETIMEOUT') {
    return result('timeout', `${label} did not answer a query within ${seconds(ctx.requestTimeoutMs)} (request timeout); the server may be busy or the query blocked by another session: check for blocking, or raise the timeout with Request Timeout=<ms> in the connection string`)
  }
  if (code === 'ECONNCLOSED' || code === 'ENOCONN') {
    return result('connection-lost', `the connection to ${label} was lost (${detail}); check the network and that SQL Server still runs, then run again`)
  }

  const errors = serverErrors(error)
  const numbers = errors.map(numberOf).filter((n): n is number => n !== undefined)
  const serverDetail = detailOf(errors)
  const first = (set: ReadonlySet<number>): number | undefined => numbers.find((n) => set.has(n))
  const database = first(DATABASE_NUMBERS)
  if (database !== undefined) {
    return result('database', `${label}: the database does not exist, is not online, or the login may not open it (${serverDetail}); check Database= in the connection string and that the login is a user of that database`, database)
  }
  const missing = first(WRONG_STORE_NUMBERS)
  if (missing !== undefined) {
    return result('wrong-store', `${label} lacks a table or column cutover reads (${serverDetail}): the connection points at another database than this store; check the server and Database= in the connection string`, missing)
  }
  const denied = first(PERMISSION_NUMBERS)
  if (denied !== undefined) {
    return result('permission', `${label}: permission denied (${serverDetail}); grant the login that permission, or use a login that has it`, denied)
  }
  const backup = first(BACKUP_FILE_NUMBERS)
  if (backup !== undefined) {
    return result('backup-file', `${label}: SQL Server could not use the backup file (${serverDetail}); check that the folder exists on the SQL Server machine, that the SQL Server service account may write and read there, and that it has room`, backup)
  }
  const number = numbers.find((n) => !FOLLOW_UP_NUMBERS.has(n)) ?? numbers[0]
  return result('sql', `${label}: ${number === undefined ? '' : `SQL Server error ${number}: `}${serverDetail || detail}`, number)
}
