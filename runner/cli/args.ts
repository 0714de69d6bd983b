import { parseArgs } from 'node:util'
import type { ParseArgsConfig } from 'node:util'
import { UsageError } from '../core/errors.js'

type Options = NonNullable<ParseArgsConfig['options']>

/** node:util parseArgs in strict mode, with its errors turned into one-line usage errors. */
export function parseCommandArgs<O extends Options>(command: string, argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true })
  } catch (e) {
    const text = e instanceof Error ? e.message.split('\n')[0] ?? e.message : String(e)
    throw new UsageError(`${command}: ${text.replace(/\. To specify a positional argument.*$/, '')}`)
  }
}

/** The value of an option that takes one of a few words. */
export function oneOf<T extends string>(command: string, option: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new UsageError(`${command}: --${option} must be one of ${allowed.join(', ')} (got '${value}')`)
}
