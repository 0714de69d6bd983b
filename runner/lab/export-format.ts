/**
 * The lab emulator's export file: NDJSON (one JSON object per line, UTF-8), in this order —
 * header, addin*, principal*, category* (parents first), room*, role*, scope*, message*, end.
 * It is the lab's own format, not Microsoft's .zip: the header says so. Ids are the legacy
 * store's; `path` holds the names from the top-level category down (the room's own name last).
 */
import { LabError } from './errors.js'

export const EXPORT_FORMAT = 'cutover-lab-export'
export const EXPORT_NOTE = 'lab emulator export: written by the cutover lab emulator, not by Microsoft Export-CsPersistentChatData'

export type RoleName = 'Member' | 'Manager' | 'Voiced' | 'Creator'

export interface ExportCounts {
  readonly addins: number
  readonly principals: number
  readonly categories: number
  readonly rooms: number
  readonly roles: number
  readonly scopes: number
  readonly messages: number
}

export interface HeaderRecord {
  readonly type: 'header'
  readonly format: typeof EXPORT_FORMAT
  readonly version: 1
  readonly note: string
  readonly source: { readonly instance: string; readonly database: string }
  readonly level: 'All'
  /** Category names given with -Scope, or null for all. */
  readonly scope: readonly string[] | null
  /** -StartDate as ISO 8601 UTC, or null. */
  readonly startDate: string | null
  readonly counts: ExportCounts
}

export interface AddinRecord {
  readonly type: 'addin'
  readonly id: number
  readonly name: string
  readonly url: string
}

export interface PrincipalRecord {
  readonly type: 'principal'
  readonly id: number
  readonly guid: string
  readonly uri: string | null
  readonly name: string
  readonly displayName: string | null
  readonly email: string | null
  /** 0 active, 1 SIP disabled, 2 AD object deleted. */
  readonly disabled: number
  /** 4 system user, 5 user, 9 group, 10 folder. */
  readonly kind: number
}

interface NodeFields {
  readonly id: number
  readonly guid: string
  readonly path: readonly string[]
  readonly description: string | null
  readonly disabled: number
  readonly addedBy: number | null
  readonly addedOn: string | null
  readonly updatedBy: number | null
  readonly updatedOn: string | null
}

export interface CategoryRecord extends NodeFields {
  readonly type: 'category'
  readonly parent: number
  readonly invite: number | null
  readonly logged: number | null
  readonly filePost: number | null
}

export interface RoomRecord extends NodeFields {
  readonly type: 'room'
  readonly category: number
  /** null: inherit from the category. */
  readonly invite: number | null
  /** 4 Normal, 5 Auditorium. */
  readonly behavior: number
  /** 2 Private (Secret), 3 Scoped (Closed), 6 Open. */
  readonly visibility: number
  readonly addin: number | null
  readonly topic: string | null
}

export interface RoleRecord {
  readonly type: 'role'
  /** A category or room id, or 1 for the root category. */
  readonly node: number
  readonly principal: number
  readonly role: RoleName
}

export interface ScopeRecord {
  readonly type: 'scope'
  readonly node: number
  readonly principal: number
  readonly denied: boolean
}

export interface MessageRecord {
  readonly type: 'message'
  readonly room: number
  /** The legacy chatId. */
  readonly id: number
  /** .NET ticks as a decimal string (too large for a JSON number to hold exactly). */
  readonly date: string
  readonly user: number
  readonly alert: boolean
  readonly content: string
  readonly rtf: string | null
}

export interface EndRecord {
  readonly type: 'end'
  readonly counts: ExportCounts
}

export type ExportRecord = HeaderRecord | AddinRecord | PrincipalRecord | CategoryRecord | RoomRecord | RoleRecord | ScopeRecord | MessageRecord | EndRecord

type FieldType = 'string' | 'string?' | 'number' | 'number?' | 'boolean' | 'strings' | 'strings?' | 'object'

const NODE: Readonly<Record<string, FieldType>> = { id: 'number', guid: 'string', path: 'strings', description: 'string?', disabled: 'number', addedBy: 'number?', addedOn: 'string?', updatedBy: 'number?', updatedOn: 'string?' }

const FIELDS: Readonly<Record<ExportRecord['type'], Readonly<Record<string, FieldType>>>> = {
  header: { format: 'string', version: 'number', note: 'string', source: 'object', level: 'string', scope: 'strings?', startDate: 'string?', counts: 'object' },
  addin: { id: 'number', name: 'string', url: 'string' },
  principal: { id: 'number', guid: 'string', uri: 'string?', name: 'string', displayName: 'string?', email: 'string?', disabled: 'number', kind: 'number' },
  category: { ...NODE, parent: 'number', invite: 'number?', logged: 'number?', filePost: 'number?' },
  room: { ...NODE, category: 'number', invite: 'number?', behavior: 'number', visibility: 'number', addin: 'number?', topic: 'string?' },
  role: { node: 'number', principal: 'number', role: 'string' },
  scope: { node: 'number', principal: 'number', denied: 'boolean' },
  message: { room: 'number', id: 'number', date: 'string', user: 'number', alert: 'boolean', content: 'string', rtf: 'string?' },
  end: { counts: 'object' },
}

function hasType(value: unknown, type: FieldType): boolean {
  const optional = type.endsWith('?')
  if (optional && value === null) return true
  switch (type.replace('?', '')) {
    case 'strings':
      return Array.isArray(value) && value.every((v) => typeof v === 'string')
    case 'object':
      return typeof value === 'object' && value !== null
    default:
      return typeof value === type.replace('?', '')
  }
}

/** hasType, decided once per field rather than once per record (the messages of a big export
 * are hundreds of thousands of records, issue 14). */
function checkerOf(type: FieldType): (value: unknown) => boolean {
  const optional = type.endsWith('?')
  const base = type.replace('?', '')
  const check = base === 'strings'
    ? (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string')
    : base === 'object'
      ? (v: unknown) => typeof v === 'object' && v !== null
      : (v: unknown) => typeof v === base
  return optional ? (v) => v === null || check(v) : check
}

const CHECKS = new Map(Object.entries(FIELDS).map(([type, fields]) => [type, Object.entries(fields).map(([name, t]) => ({ name, check: checkerOf(t) }))]))

const TICKS = /^\d+$/

/** Whether a value is a valid message record, checked field by field as FIELDS.message says,
 * without the table walk: messages are almost every line of an export (issue 14). Anything it
 * does not accept goes through the general check, which names what is wrong. */
function isMessage(v: Record<string, unknown>): boolean {
  return v.type === 'message' && typeof v.room === 'number' && typeof v.id === 'number' && typeof v.date === 'string' && typeof v.user === 'number' &&
    typeof v.alert === 'boolean' && typeof v.content === 'string' && (v.rtf === null || typeof v.rtf === 'string') && TICKS.test(v.date)
}

/** Checks one parsed line against the format; the error names the file and line. */
export function toRecord(value: unknown, file: string, line: number): ExportRecord {
  if (typeof value === 'object' && value !== null && isMessage(value as Record<string, unknown>)) return value as MessageRecord
  const bad = (why: string): LabError => new LabError(`${file}:${line}: ${why}; is this a lab emulator export?`)
  if (typeof value !== 'object' || value === null || !('type' in value) || typeof value.type !== 'string' || !(value.type in FIELDS)) throw bad('not a record of a known type')
  const fields = FIELDS[value.type as ExportRecord['type']]
  const record = value as Record<string, unknown>
  for (const { name, check } of CHECKS.get(value.type) ?? Object.entries(fields).map(([n, t]) => ({ name: n, check: (v: unknown) => hasType(v, t) }))) if (!check(record[name])) throw bad(`${value.type} record has no valid '${name}'`)
  if (value.type === 'role' && !['Member', 'Manager', 'Voiced', 'Creator'].includes(record.role as string)) throw bad(`unknown role '${String(record.role)}'`)
  if (value.type === 'message' && !TICKS.test(record.date as string)) throw bad('message date is not a tick count')
  return value as ExportRecord
}
