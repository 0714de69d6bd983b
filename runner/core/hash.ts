import type * as Crypto from 'node:crypto'
import { createRequire } from 'node:module'
import type { JsonValue } from './json.js'

let crypto: typeof Crypto | undefined

/** node:crypto, loaded the first time a hash is taken: loading it costs about 5 ms, and
 * `validate` of a plan with checkpoints loads this module (through the step kinds) without hashing
 * anything (issue 14). */
function createHash(algorithm: 'sha256'): Crypto.Hash {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof Crypto
  return crypto.createHash(algorithm)
}

/** JSON with object keys sorted, so equal inputs hash equally whatever their key order. */
export function canonicalJson(value: JsonValue | undefined): string {
  if (value === undefined) return 'null'
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  // Built with += rather than map and join: every step's fingerprint is one, and a 10,000-room
  // plan's inputs are large. A hole in an array stays empty, as join writes it.
  if (Array.isArray(value)) {
    const list: readonly JsonValue[] = value
    let out = '['
    for (let i = 0; i < list.length; i++) out += `${i === 0 ? '' : ','}${i in list ? canonicalJson(list[i]) : ''}`
    return `${out}]`
  }
  const obj = value as Readonly<Record<string, JsonValue>>
  const keys = Object.keys(obj).sort()
  let out = '{'
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] ?? ''
    out += `${i === 0 ? '' : ','}${JSON.stringify(k)}:${canonicalJson(obj[k])}`
  }
  return `${out}}`
}

/** A step's fingerprint: its kind and inputs. Inputs carry secrets as `${env:NAME}`, so a changed
 * password does not look like a changed plan, and no secret is hashed into the state. */
export function fingerprint(kind: string, input: JsonValue): string {
  return createHash('sha256').update(kind).update('\0').update(canonicalJson(input)).digest('hex').slice(0, 16)
}

export function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex')
}
