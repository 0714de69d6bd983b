/**
 * .NET ticks (100 ns since 0001-01-01 UTC), the unit of tblChat.chatDate. Present-day ticks are
 * about 6.4e17, beyond Number.MAX_SAFE_INTEGER, so exact values travel as decimal strings or
 * bigints, never as numbers. Shared by the queries and the lab emulator.
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

/** Ticks of an ISO 8601 instant with its offset (`2019-01-01T05:00:00Z`, plan/cutoff.ts), as a
 * decimal string. A text without an offset is refused: it names no single instant. */
export function ticksOfInstant(instant: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(instant)) throw new RangeError(`not an instant with an offset: ${instant}`)
  const ms = Date.parse(instant)
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${instant}`)
  return ticksOfMs(ms).toString()
}

/** The ticks before any message: counting "since" it counts everything. */
export const BEGINNING_OF_TIME = '0'
