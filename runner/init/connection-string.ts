import { MSSQL_SCHEMA, parse } from '@tediousjs/connection-string'

/** The few facts `cutover init` reads from an ADO.NET connection string: where the store is. */

export interface ConnectionFacts {
  /** The server as written (`tcp:sql01.contoso.com\GC,1433`), when the string names one. */
  readonly server?: string
  /** The server as Export -DBInstance wants it: `host` or `host\instance`, no protocol, no port. */
  readonly instance?: string
  readonly database?: string
}

/** Server and database of a connection string (each only when it names one), read by the same
 * parser the SQL Server client uses (@tediousjs/connection-string), aliases and quoting included.
 * A string it cannot read tells nothing: the client says what is wrong with it when it connects. */
export function connectionFacts(text: string): ConnectionFacts {
  let known: ReturnType<ReturnType<typeof parse>['toSchema']>
  try {
    known = parse(text).toSchema(MSSQL_SCHEMA)
  } catch {
    return {}
  }
  const nonEmpty = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined)
  const server = nonEmpty(known['data source'])
  const database = nonEmpty(known['initial catalog'])
  return {
    ...(server === undefined ? {} : { server, instance: instanceOf(server) }),
    ...(database === undefined ? {} : { database }),
  }
}

/** `tcp:sql01.contoso.com\GC,1433` → `sql01.contoso.com\GC`: what -DBInstance takes. */
export function instanceOf(server: string): string {
  return server.trim().replace(/^(?:tcp|np|lpc|admin):/i, '').replace(/,\s*\d+$/, '')
}
