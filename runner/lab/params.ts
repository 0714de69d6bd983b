/**
 * Parameter binding for the lab emulator's cmdlets: PowerShell's rules as far as cutover uses
 * them — names case-insensitive, mandatory parameters, a few common parameters, type checks —
 * with the messages PowerShell gives, so a command that binds here binds on a real server.
 */
import type { Command, ParamValue } from '../core/command.js'
import { LabCommandError } from './errors.js'
import { parseIsoDate } from './ticks.js'

export type ParamKind = 'string' | 'strings' | 'switch' | 'bool' | 'date' | 'int'

export interface ParamSpec {
  readonly kind: ParamKind
  readonly mandatory?: boolean
}

export type Signature = Readonly<Record<string, ParamSpec>>

interface KindValue {
  string: string
  strings: readonly string[]
  switch: boolean
  bool: boolean
  /** Milliseconds since the Unix epoch (UTC). */
  date: number
  int: number
}

/** What a signature binds to: mandatory parameters and switches are always there. */
export type Bound<S extends Signature> = {
  readonly [N in keyof S]: S[N]['kind'] extends 'switch' ? boolean : S[N]['mandatory'] extends true ? KindValue[S[N]['kind']] : KindValue[S[N]['kind']] | undefined
}

/** Accepted by every cmdlet and ignored: they change prompting and logging, not what is done. */
const COMMON = new Set(['verbose', 'debug', 'erroraction', 'warningaction', 'confirm'])

function isRecord(value: ParamValue): value is Exclude<ParamValue, string | number | readonly string[]> {
  return typeof value === 'object' && !Array.isArray(value)
}

function convert(cmdlet: string, name: string, kind: ParamKind, value: ParamValue): KindValue[ParamKind] {
  const bad = (type: string): LabCommandError =>
    new LabCommandError(cmdlet, `Cannot bind parameter '${name}'. Cannot convert value ${JSON.stringify(value)} to type "${type}".`)
  switch (kind) {
    case 'string':
      if (typeof value === 'string') return value
      if (typeof value === 'number') return String(value)
      throw bad('System.String')
    case 'strings':
      if (typeof value === 'string') return [value]
      if (Array.isArray(value)) return value as readonly string[]
      throw bad('System.String[]')
    case 'switch':
      if (isRecord(value) && 'switch' in value) return true
      if (isRecord(value) && 'bool' in value) return value.bool
      throw bad('System.Management.Automation.SwitchParameter')
    case 'bool':
      if (isRecord(value) && 'bool' in value) return value.bool
      throw bad('System.Boolean')
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value)) return value
      throw bad('System.Int32')
    case 'date': {
      const ms = isRecord(value) && 'date' in value ? parseIsoDate(value.date) : undefined
      if (ms === undefined) throw bad('System.DateTime')
      return ms
    }
  }
}

/** Binds a command's parameters to a cmdlet's signature, or throws the error PowerShell would. */
export function bind<S extends Signature>(command: Command, signature: S): Bound<S> {
  const byKey = new Map(Object.keys(signature).map((n) => [n.toLowerCase(), n]))
  const bound: Record<string, KindValue[ParamKind]> = {}
  for (const [given, value] of command.params) {
    const name = byKey.get(given.toLowerCase())
    if (name === undefined) {
      if (COMMON.has(given.toLowerCase())) continue
      throw new LabCommandError(command.cmdlet, `A parameter cannot be found that matches parameter name '${given}'.`)
    }
    if (name in bound) throw new LabCommandError(command.cmdlet, `Cannot bind parameter because parameter '${name}' is specified more than once.`)
    bound[name] = convert(command.cmdlet, name, (signature[name] as ParamSpec).kind, value)
  }
  const missing = Object.entries(signature).filter(([n, s]) => s.mandatory === true && !(n in bound)).map(([n]) => n)
  if (missing.length > 0) throw new LabCommandError(command.cmdlet, `Cannot process command because of one or more missing mandatory parameters: ${missing.join(' ')}.`)
  for (const [n, s] of Object.entries(signature)) if (s.kind === 'switch' && !(n in bound)) bound[n] = false
  return bound as Bound<S>
}
