import { describe, expect, it } from 'vitest'
import { APPLICATION_NAME, ConnectionStringError, DEFAULT_REQUEST_TIMEOUT_MS, mssqlConfig } from '../../runner/sql/connection.js'

const PASSWORD = 'Tr0ub4dor&3;x'

function problem(connectionString: string): string {
  try {
    mssqlConfig(connectionString)
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectionStringError)
    return (error as Error).message
  }
  throw new Error(`expected ${connectionString} to be refused`)
}

describe('ADO.NET connection strings', () => {
  it('reads a named instance, a database and a SQL login, with cutover defaults', () => {
    const c = mssqlConfig(`Server=sql01.contoso.com\\GC;Database=GroupChat;User Id=cutover;Password="${PASSWORD}"`)
    expect(c).toMatchObject({ server: 'sql01.contoso.com', database: 'GroupChat', user: 'cutover', password: PASSWORD, requestTimeout: DEFAULT_REQUEST_TIMEOUT_MS })
    expect(c.domain).toBeUndefined()
    expect(c.options).toMatchObject({ instanceName: 'GC', encrypt: true, trustServerCertificate: false, appName: APPLICATION_NAME })
  })

  it('reads Data Source with a port, Initial Catalog and the encryption settings as written', () => {
    const c = mssqlConfig('Data Source=tcp:sql02.contoso.com,14330;Initial Catalog=mgc;UID=cutover;PWD=secret-pw;Encrypt=true;TrustServerCertificate=false;Connect Timeout=30')
    expect(c).toMatchObject({ server: 'sql02.contoso.com', port: 14330, database: 'mgc', user: 'cutover', password: 'secret-pw', connectionTimeout: 30_000 })
    expect(c.options).toMatchObject({ encrypt: true, trustServerCertificate: false })
    expect(c.options?.instanceName).toBeUndefined()
  })

  it('maps Encrypt as ADO.NET means it: Optional and false off, Strict to TDS 8', () => {
    const base = 'Server=h;User Id=u;Password=p4ssword'
    expect(mssqlConfig(`${base};Encrypt=Optional`).options?.encrypt).toBe(false)
    expect(mssqlConfig(`${base};Encrypt=false`).options?.encrypt).toBe(false)
    expect(mssqlConfig(`${base};Encrypt=Mandatory`).options?.encrypt).toBe(true)
    expect(mssqlConfig(`${base};Encrypt=Strict`).options?.encrypt).toBe('strict')
    expect(mssqlConfig(`${base};TrustServerCertificate=true`).options?.trustServerCertificate).toBe(true)
  })

  it('logs a domain account in through NTLM with its domain', () => {
    const c = mssqlConfig('Server=sql01.contoso.com\\GC;Database=GroupChat;User Id=CONTOSO\\svc-cutover;Password=p4ssword')
    expect(c).toMatchObject({ domain: 'CONTOSO', user: 'svc-cutover', password: 'p4ssword' })
  })

  it('keeps an Application Name and a Request Timeout the string gives, and lets the caller override the timeout and database', () => {
    const s = 'Server=h;Database=GroupChat;User Id=u;Password=p4ssword;Application Name=night-shift;Request Timeout=60000'
    expect(mssqlConfig(s)).toMatchObject({ requestTimeout: 60_000, options: { appName: 'night-shift' } })
    expect(mssqlConfig(s, { requestTimeoutMs: 0, database: 'master' })).toMatchObject({ requestTimeout: 0, database: 'master' })
    expect(mssqlConfig(s, { pool: { max: 1, min: 1, idleTimeoutMillis: 1000 } }).pool).toMatchObject({ max: 1, min: 1 })
  })

  it('refuses Integrated Security without an account, saying what to write instead', () => {
    for (const s of ['Server=sql01;Database=GroupChat;Integrated Security=SSPI', 'Server=sql01;Trusted_Connection=yes']) {
      const message = problem(s)
      expect(message).toMatch(/Integrated Security/)
      expect(message).toContain('User Id=DOMAIN\\user;Password=${env:NAME}')
    }
  })

  it('uses the account written beside Integrated Security, since tedious cannot use Windows authentication', () => {
    expect(mssqlConfig('Server=sql01;Integrated Security=true;User Id=CONTOSO\\svc;Password=p4ssword')).toMatchObject({ domain: 'CONTOSO', user: 'svc' })
  })

  it('refuses a string with no server, no login, or a domain account without its password', () => {
    expect(problem('Database=GroupChat;User Id=u;Password=p4ssword')).toMatch(/names no server/)
    expect(problem('Server=sql01;Database=GroupChat')).toMatch(/names no login/)
    expect(problem('Server=sql01;User Id=CONTOSO\\svc')).toMatch(/needs its password for NTLM/)
  })

  it('never repeats the string or its password when it cannot read it', () => {
    const message = problem(`Server=sql01;User Id=u;Password="${PASSWORD}`)
    expect(message).toMatch(/cannot be read/)
    expect(message).not.toContain(PASSWORD.slice(0, 6))
    expect(message).not.toContain('sql01')
  })
})
