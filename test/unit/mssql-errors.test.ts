/**
 * Classification of SQL Server failures, on error objects built the way mssql builds them
 * (mssql/lib/error: ConnectionError and RequestError wrapping tedious' errors, RequestError taking
 * the server's number from `info`, the earlier messages of a batch in precedingErrors), and for
 * real against addresses where no SQL Server can answer.
 */
import { createServer } from 'node:net'
import mssql from 'mssql'
import { describe, expect, it } from 'vitest'
import { openMssqlClient } from '../../runner/sql/mssql.js'
import { SqlStoreError, describeMssqlError } from '../../runner/sql/mssql-errors.js'
import type { ErrorContext } from '../../runner/sql/mssql-errors.js'

const LABEL = 'the legacy store of gc2010 (sql01.contoso.com\\GC, GroupChat)'
const PASSWORD = 'S3cret-Pa55word!'
const ctx = (extra: Partial<ErrorContext> = {}): ErrorContext => ({ label: LABEL, requestTimeoutMs: 300_000, redact: (t) => t.split(PASSWORD).join('***'), ...extra })

/** tedious' ConnectionError/RequestError: an Error with a code (and a cause for socket errors). */
function tediousError(message: string, code: string, cause?: unknown): Error {
  return Object.assign(new Error(message, cause === undefined ? undefined : { cause }), { code })
}

function socketError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code })
}

/** A server message, as mssql's request wraps each ERROR token. */
function serverError(number: number, message: string): InstanceType<typeof mssql.RequestError> {
  const e = Object.assign(new Error(message), { info: { number, state: 1, class: 16, message, serverName: 'SQL01\\GC', procName: '', lineNumber: 1 } })
  return new mssql.RequestError(e, 'EREQUEST')
}

function batchError(...errors: InstanceType<typeof mssql.RequestError>[]): InstanceType<typeof mssql.RequestError> {
  const last = errors[errors.length - 1]
  if (last === undefined) throw new Error('no error')
  return Object.assign(last, { precedingErrors: errors.slice(0, -1) })
}

describe('describeMssqlError', () => {
  it('says a refused connection is an unreachable server, names the store and what to check', () => {
    const refused = new AggregateError([socketError('connect ECONNREFUSED 10.0.0.5:1433', 'ECONNREFUSED')], 'Could not connect (sequence)')
    const e = new mssql.ConnectionError(tediousError('Failed to connect to 10.0.0.5:1433 - Could not connect (sequence)', 'ESOCKET', refused))
    const d = describeMssqlError(e, ctx())
    expect(d.problem).toBe('unreachable')
    expect(d.message).toMatch(/^cannot reach the legacy store of gc2010 \(sql01\.contoso\.com\\GC, GroupChat\) \(Failed to connect to 10\.0\.0\.5:1433 .*ECONNREFUSED\); check the server name and port/)
  })

  it('tells a name that does not resolve, a connect timeout and a missing named instance apart', () => {
    const dns = new mssql.ConnectionError(tediousError('Failed to connect to sql01.contoso.com:1433 - getaddrinfo ENOTFOUND sql01.contoso.com', 'ESOCKET', socketError('getaddrinfo ENOTFOUND sql01.contoso.com', 'ENOTFOUND')))
    expect(describeMssqlError(dns, ctx())).toMatchObject({ problem: 'unreachable', message: expect.stringMatching(/does not resolve/) as unknown })
    const slow = new mssql.ConnectionError(tediousError('Failed to connect to sql01.contoso.com:1433 in 15000ms', 'ETIMEOUT'))
    expect(describeMssqlError(slow, ctx()).problem).toBe('unreachable')
    const instance = new mssql.ConnectionError(tediousError('Failed to get response from SQL Server Browser on sql01.contoso.com', 'EINSTLOOKUP'))
    expect(describeMssqlError(instance, ctx()).message).toMatch(/SQL Server Browser service runs \(UDP 1434\)/)
    const browser = new mssql.ConnectionError(tediousError('Failed to connect to sql01.contoso.com\\GC in 15000ms', 'ETIMEOUT'))
    expect(describeMssqlError(browser, ctx()).message).toMatch(/SQL Server Browser service runs/)
  })

  it('says an untrusted certificate is a TLS problem, with the safe fix first', () => {
    const e = new mssql.ConnectionError(tediousError('Failed to connect to sql01.contoso.com:1433 - self-signed certificate', 'ESOCKET', socketError('self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT')))
    const d = describeMssqlError(e, ctx())
    expect(d.problem).toBe('tls')
    expect(d.message).toMatch(/NODE_EXTRA_CA_CERTS.*TrustServerCertificate=true/)
  })

  it('tells a failed login from a database the login cannot open (4060 before 18456)', () => {
    const e = new mssql.ConnectionError(tediousError("Login failed for user 'svc-cutover'.", 'ELOGIN'))
    expect(describeMssqlError(e, ctx({ loginErrors: [18456] }))).toMatchObject({ problem: 'login', number: 18456, message: expect.stringMatching(/^cannot log in to the legacy store .*check User Id and Password/) as unknown })
    expect(describeMssqlError(e, ctx({ loginErrors: [4060, 18456] }))).toMatchObject({ problem: 'database', number: 4060, message: expect.stringMatching(/database does not exist .*check Database=/) as unknown })
  })

  it('says a missing table or column means the connection points at another database', () => {
    for (const [n, text] of [[208, "Invalid object name 'tblNode'."], [207, "Invalid column name 'nodeGuid'."]] as const) {
      const d = describeMssqlError(serverError(n, text), ctx())
      expect(d).toMatchObject({ problem: 'wrong-store', number: n })
      expect(d.message).toContain(text)
      expect(d.message).toMatch(/another database than this store/)
    }
  })

  it('reports a request timeout with the timeout and how to raise it', () => {
    const e = new mssql.RequestError(tediousError('Timeout: Request failed to complete in 300000ms', 'ETIMEOUT'), 'EREQUEST')
    expect(e.code).toBe('ETIMEOUT')
    const d = describeMssqlError(e, ctx())
    expect(d.problem).toBe('timeout')
    expect(d.message).toMatch(/within 300 s .*Request Timeout=<ms>/)
  })

  it('reports the telling message of a failed BACKUP, not "terminating abnormally"', () => {
    const e = batchError(
      serverError(3201, "Cannot open backup device 'E:\\SQLBackup\\contoso-legacy-gc2010.bak'. Operating system error 3(The system cannot find the path specified.)."),
      serverError(3013, 'BACKUP DATABASE is terminating abnormally.'),
    )
    const d = describeMssqlError(e, ctx())
    expect(d).toMatchObject({ problem: 'backup-file', number: 3201 })
    expect(d.message).toContain('Operating system error 3')
    expect(d.message).not.toContain('terminating abnormally')
  })

  it('falls back to the server number and message, and reports permissions', () => {
    expect(describeMssqlError(serverError(262, 'CREATE DATABASE permission denied in database \'master\'.'), ctx())).toMatchObject({ problem: 'permission', number: 262 })
    const d = describeMssqlError(batchError(serverError(3101, 'Exclusive access could not be obtained because the database is in use.'), serverError(3013, 'RESTORE DATABASE is terminating abnormally.')), ctx())
    expect(d).toMatchObject({ problem: 'sql', number: 3101 })
    expect(d.message).toBe(`${LABEL}: SQL Server error 3101: Exclusive access could not be obtained because the database is in use.`)
  })

  it('is one line and scrubs secrets, whatever the driver put in its message', () => {
    const e = new mssql.ConnectionError(tediousError(`Login failed for user 'svc'.\nReason: password ${PASSWORD} mismatch`, 'ELOGIN'))
    const d = describeMssqlError(e, ctx())
    expect(d.message).not.toMatch(/\n/)
    expect(d.message).not.toContain(PASSWORD)
  })
})

/** A local port nothing listens on: bound by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

async function openError(connectionString: string): Promise<SqlStoreError> {
  const error = await openMssqlClient(connectionString, { label: LABEL, redact: (t) => t.split(PASSWORD).join('***') }).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(SqlStoreError)
  return error as SqlStoreError
}

describe('openMssqlClient where no SQL Server answers', () => {
  it('fails at open on a closed port: one line, the store, unreachable, no password', async () => {
    const port = await closedPort()
    const e = await openError(`Server=127.0.0.1,${port};Database=GroupChat;User Id=sa;Password=${PASSWORD};Connect Timeout=10`)
    expect(e.name).toBe('SqlStoreError')
    expect(e.problem).toBe('unreachable')
    expect(e.message).toMatch(/^cannot reach the legacy store of gc2010 /)
    expect(e.message).toContain(`127.0.0.1:${port}`)
    expect(e.message).not.toMatch(/\n/)
    expect(e.message).not.toContain(PASSWORD)
  })

  it('fails at open on a host name that does not exist', async () => {
    // No redact given: the client still scrubs the password it parsed.
    const error = await openMssqlClient(`Server=no-such-host.invalid;Database=GroupChat;User Id=sa;Password=${PASSWORD};Connect Timeout=10`, { label: LABEL }).then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(SqlStoreError)
    const e = error as SqlStoreError
    expect(e.problem).toBe('unreachable')
    expect(e.message).toMatch(/^cannot reach the legacy store of gc2010 .*no-such-host\.invalid/)
    expect(e.message).not.toMatch(/\n/)
    expect(e.message).not.toContain(PASSWORD)
  })

  it('fails at open on a connection string it cannot use, naming the store', async () => {
    const e = await openError('Server=sql01.contoso.com\\GC;Database=GroupChat;Integrated Security=SSPI')
    expect(e.problem).toBe('config')
    expect(e.message).toMatch(/^the legacy store of gc2010 .*: Integrated Security/)
  })
})
