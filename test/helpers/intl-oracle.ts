/**
 * An oracle for local times in IANA zones that shares nothing with runner/core/time.ts or its
 * library: it only asks Node's Intl what a zone's clock shows at an instant, and finds answers by
 * brute force. Slow, but obviously right, which is what a test oracle must be.
 */

const QUARTER_HOUR = 15 * 60_000
/** Every UTC offset in use, and every offset change, is a multiple of 15 minutes (Nepal +05:45,
 * Chatham +12:45/+13:45, Lord Howe's 30-minute change), and none exceeds 14 h. */
const SPAN = 15 * 3_600_000

const formats = new Map<string, Intl.DateTimeFormat>()

/** The wall clock of `zone` at `utcMs`, as `YYYY-MM-DDTHH:MM`. */
export function wallAt(utcMs: number, zone: string): string {
  let f = formats.get(zone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
    formats.set(zone, f)
  }
  const p = Object.fromEntries(f.formatToParts(new Date(utcMs)).map((x) => [x.type, x.value]))
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`
}

/** The zone's UTC offset at `utcMs` in minutes, read from Intl's `longOffset` name (GMT+13:45). */
const offsetFormats = new Map<string, Intl.DateTimeFormat>()

export function offsetMinutesAt(utcMs: number, zone: string): number {
  let f = offsetFormats.get(zone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
    offsetFormats.set(zone, f)
  }
  const name = f.formatToParts(new Date(utcMs)).find((p) => p.type === 'timeZoneName')?.value ?? ''
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name)
  if (m === null) throw new Error(`unexpected offset name ${name}`)
  if (m[1] === undefined) return 0
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]))
}

export interface Expected {
  readonly iso: string
  readonly skipped: boolean
  readonly ambiguous: boolean
}

/** What cutover's documented policy says `local` (`YYYY-MM-DDTHH:MM`) means in `zone`: the one
 * instant whose wall clock shows it; of two, the earlier; of none (a gap), the wall time read with
 * the offset in force just before the gap, which lands as far after the gap as it was into it. */
export function expectedInstant(local: string, zone: string): Expected {
  const asUtc = Date.parse(`${local}:00Z`)
  const matches: number[] = []
  let lastBefore: number | undefined
  for (let u = asUtc - SPAN; u <= asUtc + SPAN; u += QUARTER_HOUR) {
    const wall = wallAt(u, zone)
    if (wall === local) matches.push(u)
    else if (wall < local) lastBefore = u
  }
  const first = matches[0]
  if (first !== undefined) return { iso: new Date(first).toISOString(), skipped: false, ambiguous: matches.length > 1 }
  if (lastBefore === undefined) throw new Error(`no instant before ${local} in ${zone}`)
  return { iso: new Date(asUtc - offsetMinutesAt(lastBefore, zone) * 60_000).toISOString(), skipped: true, ambiguous: false }
}

export interface Transition {
  readonly zone: string
  readonly atMs: number
  readonly fromMinutes: number
  readonly toMinutes: number
}

/** The offset changes of `zone` between two instants, each found to the minute by bisection. */
export function transitions(zone: string, fromMs: number, toMs: number): Transition[] {
  const out: Transition[] = []
  const step = 6 * 3_600_000
  for (let t = fromMs; t < toMs; t += step) {
    const a = offsetMinutesAt(t, zone)
    const b = offsetMinutesAt(t + step, zone)
    if (a === b) continue
    let lo = t
    let hi = t + step
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000
      if (offsetMinutesAt(mid, zone) === a) lo = mid
      else hi = mid
    }
    out.push({ zone, atMs: hi, fromMinutes: a, toMinutes: b })
  }
  return out
}

/** Local times worth testing around a transition: before, inside and after the gap or overlap,
 * and the same local times a few hours away (where a bracketing shortcut goes wrong). */
export function localTimesAround(t: Transition): string[] {
  const change = Math.abs(t.toMinutes - t.fromMinutes) * 60_000
  // The wall clock just before the change, as `YYYY-MM-DDTHH:MM` of the instant read as UTC.
  const wallBefore = t.atMs + t.fromMinutes * 60_000
  const lowWall = Math.min(wallBefore, t.atMs + t.toMinutes * 60_000)
  const local = (ms: number): string => new Date(ms).toISOString().slice(0, 16)
  const offsets = [-6 * 3_600_000, -3_600_000, -60_000, 0, 60_000, change / 2, change - 60_000, change, change + 60_000, change + 3_600_000, change + 6 * 3_600_000]
  return [...new Set(offsets.map((o) => local(lowWall + o)))]
}
