import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { NdjsonReader } from '../../runner/lab/ndjson.js'

// NdjsonReader splits by hand what readline used to split (issue 14: readline cost 1.3 s per pass of a
// 300,000-message export); it must give the same lines, numbered the same, whatever the line ends
// and wherever a chunk boundary falls (inside a CRLF, inside a multi-byte character).
const dir = mkdtempSync(join(tmpdir(), 'cutover-ndjson-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function byReadline(file: string): Promise<{ line: number; value: unknown }[]> {
  const out: { line: number; value: unknown }[] = []
  let line = 0
  for await (const text of createInterface({ input: createReadStream(file, { encoding: 'utf8', highWaterMark: 1000 }), crlfDelay: Infinity })) {
    line++
    if (text !== '') out.push({ line, value: JSON.parse(text) as unknown })
  }
  return out
}

async function all(file: string): Promise<{ line: number; value: unknown }[]> {
  const out: { line: number; value: unknown }[] = []
  const reader = await NdjsonReader.open(file)
  try {
    for (let l = reader.take() ?? (await reader.refill()); l !== undefined; l = reader.take() ?? (await reader.refill())) out.push({ line: l.line, value: l.value })
  } finally {
    await reader.close()
  }
  return out
}

describe('NdjsonReader', () => {
  const ends = ['\n', '\r\n', '\r', '\n\n', '\r\n\r\n']
  for (const [n, seed] of [[3, 1], [9_000, 2], [9_000, 3]] as const) {
    it(`reads ${n} records with mixed line ends as readline does (seed ${seed})`, async () => {
      let x = seed
      const rnd = (k: number): number => {
        x = (x * 1103515245 + 12345) % 2 ** 31
        return x % k
      }
      let text = ''
      for (let i = 0; i < n; i++) text += JSON.stringify({ i, content: 'é😀x'.repeat(rnd(40)) }) + (ends[rnd(ends.length)] ?? '\n')
      for (const variant of [text, text.trimEnd(), `\n${text}`]) {
        const file = join(dir, `f${n}-${seed}.ndjson`)
        writeFileSync(file, variant)
        const got = await all(file)
        expect(got).toEqual(await byReadline(file))
        expect(got).toHaveLength(n)
      }
    })
  }

  it('hands out a chunk\'s lines without awaiting, and reads the next chunk only when asked', async () => {
    // 2,000 short lines fit in one 256 KiB chunk; 40,000 need several.
    const file = join(dir, 'chunks.ndjson')
    writeFileSync(file, Array.from({ length: 40_000 }, (_, i) => JSON.stringify({ i })).join('\n'))
    const reader = await NdjsonReader.open(file)
    try {
      expect(reader.take()).toBeUndefined()
      expect(await reader.refill()).toEqual({ line: 1, value: { i: 0 } })
      let taken = 1
      while (reader.take() !== undefined) taken++
      expect(taken).toBeGreaterThan(2_000)
      expect(taken).toBeLessThan(40_000)
      expect(await reader.refill()).toEqual({ line: taken + 1, value: { i: taken } })
    } finally {
      await reader.close()
    }
  })

  it('names the line that is not JSON', async () => {
    const file = join(dir, 'bad.ndjson')
    writeFileSync(file, '{"a":1}\r\n\n{"a":\n')
    await expect(all(file)).rejects.toThrow('line 3 is not JSON')
  })
})
