import { isFqdn } from '../plan/rules/addresses.js'

/** The few facts `cutover init` reads from an ADO.NET connection string: where the store is. */

export interface ConnectionFacts {
  /** The server as written (`tcp:sql01.contoso.com\GC,1433`), when the string names one. */
  readonly server?: string
  /** The server as Export -DBInstance wants it: `host` or `host\instance`, no protocol, no port. */
  readonly instance?: string
  readonly database?: string
}

const SERVER_KEYS = new Set(['server', 'data source', 'address', 'addr', 'network address'])
const DATABASE_KEYS = new Set(['database', 'initial catalog'])

/** `key=value` pairs of an ADO.NET connection string: keys compared case-insensitively, values
 * optionally quoted with ' or " (a doubled quote inside stands for one). The last key wins, as
 * in SqlConnection. */
export function connectionPairs(text: string): Map<string, string> {
  const pairs = new Map<string, string>()
  let i = 0
  while (i < text.length) {
    const eq = text.indexOf('=', i)
    if (eq < 0) break
    const key = text.slice(i, eq).replace(/^[\s;]+/, '').trim().toLowerCase()
    let j = eq + 1
    while (j < text.length && /\s/.test(text[j] ?? '')) j++
    let value = ''
    const quote = text[j]
    if (quote === '"' || quote === "'") {
      j++
      while (j < text.length) {
        if (text[j] === quote && text[j + 1] === quote) {
          value += quote
          j += 2
        } else if (text[j] === quote) {
          j++
          break
        } else value += text[j++]
      }
      const end = text.indexOf(';', j)
      i = end < 0 ? text.length : end + 1
    } else {
      const end = text.indexOf(';', j)
      value = text.slice(j, end < 0 ? text.length : end).trim()
      i = end < 0 ? text.length : end + 1
    }
    if (key !== '') pairs.set(key, value)
  }
  return pairs
}

function pick(pairs: ReadonlyMap<string, string>, keys: ReadonlySet<string>): string | undefined {
  let found: string | undefined
  for (const [k, v] of pairs) if (keys.has(k) && v !== '') found = v
  return found
}

/** Server and database of a connection string (each only when it names one). */
export function connectionFacts(text: string): ConnectionFacts {
  const pairs = connectionPairs(text)
  const server = pick(pairs, SERVER_KEYS)
  const database = pick(pairs, DATABASE_KEYS)
  return {
    ...(server === undefined ? {} : { server, instance: instanceOf(server) }),
    ...(database === undefined ? {} : { database }),
  }
}

/** `tcp:sql01.contoso.com\GC,1433` → `sql01.contoso.com\GC`: what -DBInstance takes. */
export function instanceOf(server: string): string {
  return server.trim().replace(/^(?:tcp|np|lpc|admin):/i, '').replace(/,\s*\d+$/, '')
}

const INSTANCE_NAME = /^[a-z_][a-z0-9_$#]{0,15}$/i

/** Whether the plan's sql-instance rule accepts it (FQDN, or FQDN\instance): the same check, so
 * that init writes only what validate passes and marks the rest for the admin. */
export function isPlanInstance(instance: string): boolean {
  const [host = '', name, ...rest] = instance.split('\\')
  return isFqdn(host) && rest.length === 0 && (name === undefined || INSTANCE_NAME.test(name))
}
