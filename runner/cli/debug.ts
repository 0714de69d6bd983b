/** `--debug`: stack traces and causes, for whoever investigates a failure. Set once by main. */
let enabled = false

export function setDebug(on: boolean): void {
  enabled = on
}

/** Whether --debug was given. */
export function debugEnabled(): boolean {
  return enabled
}

/** The stack of an error and of each `cause` under it, for --debug. */
export function stackWithCauses(e: unknown): string {
  const parts: string[] = []
  const seen = new Set<unknown>()
  let cur: unknown = e
  while (cur !== undefined && cur !== null && !seen.has(cur)) {
    seen.add(cur)
    const text = cur instanceof Error ? (cur.stack ?? `${cur.name}: ${cur.message}`) : String(cur)
    parts.push(parts.length === 0 ? text : `caused by: ${text}`)
    cur = cur instanceof Error ? cur.cause : undefined
  }
  return parts.join('\n')
}
