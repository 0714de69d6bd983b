import { inflateSync } from 'node:zlib'

export interface PngFacts {
  readonly width: number
  readonly height: number
  /** Distinct byte values in the decoded scanlines: a blank page has a handful, a page of text
   * and tables has many. */
  readonly distinctBytes: number
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** Reads a PNG's size and how varied its pixels are; throws when it is not a PNG. */
export function pngFacts(png: Buffer): PngFacts {
  if (png.length < 33 || !png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG: wrong signature')
  let width = 0
  let height = 0
  const data: Buffer[] = []
  for (let at = 8; at + 8 <= png.length;) {
    const length = png.readUInt32BE(at)
    const type = png.toString('latin1', at + 4, at + 8)
    const body = png.subarray(at + 8, at + 8 + length)
    if (type === 'IHDR') {
      width = body.readUInt32BE(0)
      height = body.readUInt32BE(4)
    } else if (type === 'IDAT') data.push(body)
    else if (type === 'IEND') break
    at += 12 + length
  }
  const pixels = inflateSync(Buffer.concat(data))
  const seen = new Set<number>()
  for (const b of pixels) seen.add(b)
  return { width, height, distinctBytes: seen.size }
}
