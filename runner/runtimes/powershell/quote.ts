import { CutoverError, EXIT } from '../../core/errors.js'
import type { Command, ParamValue } from '../../core/command.js'

/**
 * The one way data enters a PowerShell script (docs/security.md#what-enters-a-powershell-script): every value from the
 * plan or the databases becomes a single-quoted literal, in which PowerShell expands nothing.
 * Cmdlet and parameter names are code, not data: they are checked against PowerShell's plain
 * name shape and never quoted.
 */

/** A value that cannot be written as a PowerShell literal; names where it came from, never the value. */
export class QuoteError extends CutoverError {
  override readonly name = 'QuoteError'
  readonly exitCode = EXIT.failed
  constructor(
    /** Where the value came from, e.g. `rooms.map[3].rename`. */
    readonly source: string,
    readonly reason: string,
    /** The character that cannot be written, when that is the problem. */
    readonly char?: string,
  ) {
    super(`${source}: ${reason}`)
  }
}

/** PowerShell ends (or, doubled, escapes) a single-quoted string at any of these five characters:
 * the apostrophe and U+2018, U+2019, U+201A, U+201B. */
const SINGLE_QUOTES = /['\u2018\u2019\u201A\u201B]/g

/** C0 controls except TAB, LF and CR; DEL; C1 controls. Lone surrogates cannot be written as
 * UTF-8 without turning into U+FFFD, which would silently change the value. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
const LINE_BREAK = /[\r\n\u2028\u2029]/

const codePoint = (ch: string) => `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`

export interface StringOptions {
  /** Also refuse line breaks: for a literal written inside a `#` comment line. */
  readonly singleLine?: boolean
}

/** A single-quoted PowerShell literal that evaluates to exactly `value`. Throws a QuoteError
 * naming `source` and the code point of a character no script may contain. */
export function psString(value: string, source: string, options: StringOptions = {}): string {
  if (typeof value !== 'string') throw new QuoteError(source, `expected text, got ${describe(value)}`)
  const bad = FORBIDDEN.exec(value) ?? (options.singleLine === true ? LINE_BREAK.exec(value) : null)
  if (bad !== null) {
    const what = LINE_BREAK.test(bad[0]) ? 'a line break' : /[\uD800-\uDFFF]/.test(bad[0]) ? 'half of a surrogate pair' : 'a control character'
    throw new QuoteError(source, `character ${codePoint(bad[0])} at position ${bad.index + 1} is ${what}, which cannot be written in a PowerShell script${options.singleLine === true ? ' line' : ''}; remove it`, bad[0])
  }
  return `'${value.replace(SINGLE_QUOTES, (q) => q + q)}'`
}

/** A literal for a number: finite only; integers as written, others parsed invariantly. */
function psNumber(value: number, source: string): string {
  if (!Number.isFinite(value)) throw new QuoteError(source, `${String(value)} is not a finite number`)
  if (Number.isSafeInteger(value)) return value < 0 ? `(${String(value)})` : String(value)
  return `([double]::Parse(${psString(String(value), source)}, [Globalization.CultureInfo]::InvariantCulture))`
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?(?:Z|[+-](\d{2}):(\d{2}))?)?$/

/** Checks an ISO 8601 date or date-time (YYYY-MM-DD[THH:MM[:SS[.f]]][Z|±HH:MM]) for shape and calendar. */
function checkIsoDate(text: unknown, source: string): void {
  const m = typeof text === 'string' ? ISO_DATE.exec(text) : null
  const n = (i: number) => Number(m?.[i] ?? 0)
  const daysInMonth = new Date(Date.UTC(n(1), n(2), 0)).getUTCDate()
  const ok = m !== null && n(2) >= 1 && n(2) <= 12 && n(3) >= 1 && n(3) <= daysInMonth && n(4) <= 23 && n(5) <= 59 && n(6) <= 59 && n(7) <= 14 && n(8) <= 59
  if (!ok) throw new QuoteError(source, 'not an ISO 8601 date (YYYY-MM-DD, optionally THH:MM[:SS] and Z or an offset)')
}

function psArray(values: readonly string[], source: string): string {
  if (!Array.isArray(values)) throw new QuoteError(source, `expected a list of text, got ${describe(values)}`)
  return `@(${values.map((v, i) => psString(v, `${source}[${i}]`)).join(', ')})`
}

/** A PowerShell expression for a parameter value, as command.ts types it. A switch has no value
 * of its own: psCommand writes it as a bare `-Name`. */
export function psValue(value: ParamValue, source: string): string {
  if (typeof value === 'string') return psString(value, source)
  if (typeof value === 'number') return psNumber(value, source)
  if (Array.isArray(value)) return psArray(value, source)
  if (typeof value !== 'object' || value === null) throw new QuoteError(source, `cannot render ${describe(value)}`)
  const keys = Object.keys(value)
  if (keys.length !== 1) throw new QuoteError(source, `expected one of switch, bool, date, addRemove, scriptBlock; got {${keys.join(', ')}}`)
  if ('switch' in value) throw new QuoteError(source, 'a switch has no value; it is written as a bare -Name by psCommand')
  if ('bool' in value) {
    if (typeof value.bool !== 'boolean') throw new QuoteError(source, `expected true or false, got ${describe(value.bool)}`)
    return value.bool ? '$true' : '$false'
  }
  if ('date' in value) {
    checkIsoDate(value.date, source)
    // RoundtripKind: a UTC instant (Z) stays a UTC DateTime, not converted to the server's local time.
    return `([datetime]::Parse(${psString(value.date, source)}, [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::RoundtripKind))`
  }
  if ('addRemove' in value) {
    const { add, remove, ...rest } = value.addRemove
    if (Object.keys(rest).length > 0) throw new QuoteError(source, `addRemove takes add and remove, not ${Object.keys(rest).join(', ')}`)
    const parts = [
      ...(add === undefined ? [] : [`Add=${psArray(add, `${source}.add`)}`]),
      ...(remove === undefined ? [] : [`Remove=${psArray(remove, `${source}.remove`)}`]),
    ]
    if (parts.length === 0) throw new QuoteError(source, 'addRemove names nothing to add or remove')
    return `@{${parts.join('; ')}}`
  }
  if ('scriptBlock' in value) return `([scriptblock]::Create(${psString(value.scriptBlock, source)}))`
  throw new QuoteError(source, `expected one of switch, bool, date, addRemove, scriptBlock; got {${keys.join(', ')}}`)
}

const CMDLET_NAME = /^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)?$/
const PARAM_NAME = /^[A-Za-z][A-Za-z0-9]*$/

const isSwitch = (v: ParamValue): boolean => typeof v === 'object' && v !== null && !Array.isArray(v) && 'switch' in v

/** `Cmdlet -Name value -Switch ...`; with `computer`, wrapped in Invoke-Command -ComputerName so
 * it runs there (with errors terminating there too, as they do in the script around it). */
export function psCommand(cmd: Command, source: string): string {
  if (typeof cmd !== 'object' || cmd === null || !Array.isArray(cmd.params)) throw new QuoteError(source, `expected a command, got ${describe(cmd)}`)
  if (typeof cmd.cmdlet !== 'string' || !CMDLET_NAME.test(cmd.cmdlet)) {
    throw new QuoteError(source, `the cmdlet name ${JSON.stringify(String(cmd.cmdlet)).slice(0, 80)} is not a plain Verb-Noun name`)
  }
  const parts = [cmd.cmdlet]
  for (const [name, value] of cmd.params) {
    if (typeof name !== 'string' || !PARAM_NAME.test(name)) {
      throw new QuoteError(source, `${cmd.cmdlet}: the parameter name ${JSON.stringify(String(name)).slice(0, 80)} is not a plain name (letters and digits)`)
    }
    if (isSwitch(value)) {
      if ((value as { switch: unknown }).switch !== true) throw new QuoteError(`${source} -${name}`, 'a switch is either present ({ switch: true }) or left out')
      parts.push(`-${name}`)
    } else parts.push(`-${name}`, psValue(value, `${source} -${name}`))
  }
  const line = parts.join(' ')
  if (cmd.computer === undefined) return line
  return `Invoke-Command -ComputerName ${psString(cmd.computer, `${source} computer`)} -ScriptBlock { $ErrorActionPreference = 'Stop'; ${line} }`
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  return typeof value
}
