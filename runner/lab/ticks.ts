/** Dates as the lab emulator's cmdlets and stores write them; ticks themselves are runner/sql/ticks.ts. */
export { isoOfTicks, ticksOfMs, ticksOfUnixSeconds } from '../sql/ticks.js'

/** `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]]`, optionally with `Z` or `±HH:MM`. Without an offset the
 * lab reads it as UTC: the lab has no local time zone (a real server would use its own). */
export function parseIsoDate(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,7})?)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(text)
  if (m === null) return undefined
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number, number]
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(m[7]) * 1000)
  const zone = m[8]
  let offset = 0
  if (zone !== undefined && zone !== 'Z') offset = (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000
  const ms = new Date(0).setUTCFullYear(year, month - 1, day)
  return ms + ((hour * 60 + minute) * 60 + second) * 1000 + fraction - offset
}

/** SQL Server's datetime text form, which the lab stores use for the node and audit columns. */
export function sqlDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
}
