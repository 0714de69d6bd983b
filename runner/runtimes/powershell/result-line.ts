import type { CommandResult } from '../../core/host.js'
import type { ScriptCommandResult, ScriptResult } from './protocol.js'

/**
 * Reading the one `##cutover-result## {json}` line a rendered script prints (protocol.ts).
 *
 * Tolerated, because Windows PowerShell 5.1's ConvertTo-Json does it to honest scripts: an empty
 * list written as null, and a one-element list unwrapped to its element (`results`, `output`,
 * `warnings`, `errors`). Anything else that does not match the protocol is malformed.
 */

/** The result line is JSON and may be long (data of many rooms), but never unbounded. */
export const MAX_RESULT_LINE_CHARS = 16 * 1024 * 1024

export class MalformedResultError extends Error {
  override readonly name = 'MalformedResultError'
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A list as ConvertTo-Json may write it: missing/null (empty), one element, or an array. */
function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return []
  return Array.isArray(value) ? value : [value]
}

function strings(value: unknown, where: string): string[] | undefined {
  if (value === undefined || value === null) return undefined
  return listOf(value).map((v, i) => {
    if (typeof v !== 'string') throw new MalformedResultError(`${where}[${i}] is ${v === null ? 'null' : typeof v}, not text`)
    return v
  })
}

function commandResult(value: unknown, i: number): ScriptCommandResult {
  if (!isObject(value)) throw new MalformedResultError(`results[${i}] is not an object`)
  const output = strings(value.output, `results[${i}].output`)
  const warnings = strings(value.warnings, `results[${i}].warnings`)
  const errors = strings(value.errors, `results[${i}].errors`)
  let data: Record<string, unknown> | undefined
  if (value.data !== undefined && value.data !== null) {
    if (!isObject(value.data)) throw new MalformedResultError(`results[${i}].data is not an object`)
    data = value.data
  }
  return {
    ...(output === undefined ? {} : { output }),
    ...(data === undefined ? {} : { data }),
    ...(warnings === undefined ? {} : { warnings }),
    ...(errors === undefined ? {} : { errors }),
  }
}

/** Parses the JSON after the marker; throws MalformedResultError saying what is wrong. */
export function parseScriptResult(json: string): ScriptResult {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch (e) {
    throw new MalformedResultError(`not JSON (${e instanceof Error ? e.message : String(e)})`)
  }
  if (!isObject(value)) throw new MalformedResultError('not a JSON object')
  if (typeof value.ok !== 'boolean') throw new MalformedResultError('"ok" is not true or false')
  if (value.error !== undefined && value.error !== null && typeof value.error !== 'string') throw new MalformedResultError('"error" is not text')
  if (value.results !== undefined && value.results !== null && !Array.isArray(value.results) && !isObject(value.results)) {
    throw new MalformedResultError('"results" is not a list')
  }
  const results = listOf(value.results).map(commandResult)
  return { ok: value.ok, results, ...(typeof value.error === 'string' ? { error: value.error } : {}) }
}

/**
 * What a step sees of one command. Text meant for people (output, warnings, errors) is redacted;
 * `errors` (non-terminating errors, e.g. what Import-CsPersistentChatData -WhatIf finds) is put
 * in `data.errors`, where the import step reads it.
 */
export function toCommandResult(result: ScriptCommandResult, redact: (text: string) => string): CommandResult {
  const output = (result.output ?? []).map(redact)
  const warnings = result.warnings?.map(redact)
  const errors = result.errors?.map(redact)
  const data = errors === undefined ? result.data : { ...(result.data ?? {}), errors }
  return { output, ...(data === undefined ? {} : { data }), ...(warnings === undefined ? {} : { warnings }) }
}
