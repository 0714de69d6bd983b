/**
 * .NET ticks (100 ns since 0001-01-01 UTC), the unit of tblChat.chatDate. Present-day ticks are
 * about 6.4e17, beyond Number.MAX_SAFE_INTEGER, so exact values travel as decimal strings or
 * bigints, never as numbers.
 */

/** Seconds from 0001-01-01 to 1970-01-01 (the proleptic Gregorian calendar .NET uses). */
const EPOCH_SECONDS = 62_135_596_800
const TICKS_PER_MS = 10_000n

/** Ticks of a whole second since the Unix epoch, as a decimal string (no bigint arithmetic, so
 * generating a million messages stays cheap). */
export function ticksOfUnixSeconds(seconds: number): string {
  return `${seconds + EPOCH_SECONDS}0000000`
}

export function ticksOfMs(ms: number): bigint {
  return (BigInt(ms) + BigInt(EPOCH_SECONDS) * 1000n) * TICKS_PER_MS
}

/** The instant of a tick count, as ISO 8601 UTC (millisecond precision). */
export function isoOfTicks(ticks: string | bigint): string {
  const ms = BigInt(ticks) / TICKS_PER_MS - BigInt(EPOCH_SECONDS) * 1000n
  return new Date(Number(ms)).toISOString()
}

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
