import type { JsonValue } from '../core/json.js'

/** One input of a step that differs from what ran: where in the input, and both values (as JSON). */
export interface InputChange {
  /** `rules.map[2].rename`; empty for the whole input. */
  readonly path: string
  /** Absent when the input did not exist when the step ran. */
  readonly ran?: string
  /** Absent when the input no longer exists. */
  readonly now?: string
}

const isObject = (v: JsonValue | undefined): v is { readonly [k: string]: JsonValue } => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Every leaf in which `now` differs from `ran`, in order: objects by key, arrays by index. Pure. */
export function inputChanges(ran: JsonValue | undefined, now: JsonValue | undefined, path = ''): InputChange[] {
  if (isObject(ran) && isObject(now)) {
    const keys = [...new Set([...Object.keys(ran), ...Object.keys(now)])]
    return keys.flatMap((k) => inputChanges(ran[k], now[k], path === '' ? k : `${path}.${k}`))
  }
  if (Array.isArray(ran) && Array.isArray(now)) {
    const a = ran as readonly JsonValue[]
    const b = now as readonly JsonValue[]
    return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => inputChanges(a[i], b[i], `${path}[${i}]`)).flat()
  }
  if (JSON.stringify(ran) === JSON.stringify(now)) return []
  return [{ path, ...(ran === undefined ? {} : { ran: JSON.stringify(ran) }), ...(now === undefined ? {} : { now: JSON.stringify(now) }) }]
}
