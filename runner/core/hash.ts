import { createHash } from 'node:crypto'
import type { JsonValue } from './json.js'

/** JSON with object keys sorted, so equal inputs hash equally whatever their key order. */
export function canonicalJson(value: JsonValue | undefined): string {
  if (value === undefined) return 'null'
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map((v: JsonValue) => canonicalJson(v)).join(',')}]`
  const obj = value as Readonly<Record<string, JsonValue>>
  return `{${Object.keys(obj).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`
}

/** A step's fingerprint: its kind and inputs. Inputs carry secrets as `${env:NAME}`, so a changed
 * password does not look like a changed plan, and no secret is hashed into the state. */
export function fingerprint(kind: string, input: JsonValue): string {
  return createHash('sha256').update(kind).update('\0').update(canonicalJson(input)).digest('hex').slice(0, 16)
}

export function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex')
}
