/**
 * .NET ticks (100 ns since 0001-01-01 UTC), the unit of tblChat.chatDate. Present-day values
 * (~6.4e17) exceed Number.MAX_SAFE_INTEGER, so they travel as decimal strings.
 */
const EPOCH_SECONDS = 62_135_596_800n

/** Ticks at 00:00 UTC of a `YYYY-MM-DD` date, as a decimal string. */
export function ticksOfDate(date: string): string {
  const ms = Date.parse(`${date}T00:00:00Z`)
  if (Number.isNaN(ms)) throw new RangeError(`not a date: ${date}`)
  return ((BigInt(ms) + EPOCH_SECONDS * 1000n) * 10_000n).toString()
}

/** The ticks before any message: counting "since" it counts everything. */
export const BEGINNING_OF_TIME = '0'
