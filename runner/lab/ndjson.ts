/** Streaming NDJSON for the lab emulator's export files: written in chunks with backpressure
 * (each chunk's write is awaited) and hashed on the way, read line by line. */
import { createHash } from 'node:crypto'
import { createReadStream, openSync, closeSync, fstatSync, readSync } from 'node:fs'
import { open } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import { createInterface } from 'node:readline'

const CHUNK = 256 * 1024

export class NdjsonWriter {
  private buffer = ''
  private bytes = 0
  private readonly hash = createHash('sha256')

  private constructor(private readonly handle: FileHandle) {}

  static async create(file: string): Promise<NdjsonWriter> {
    return new NdjsonWriter(await open(file, 'w'))
  }

  /** Queues one record; resolves once the buffer is below a chunk, so memory stays flat. */
  async write(record: object): Promise<void> {
    this.buffer += `${JSON.stringify(record)}\n`
    if (this.buffer.length >= CHUNK) await this.flush()
  }

  /** Writes what is buffered; after it resolves, the records are in the OS (they survive the process). */
  async flush(): Promise<void> {
    if (this.buffer === '') return
    const chunk = Buffer.from(this.buffer, 'utf8')
    this.buffer = ''
    this.hash.update(chunk)
    this.bytes += chunk.length
    await this.handle.write(chunk)
  }

  /** Flushes, fsyncs and closes; returns the size and sha256 of what was written. */
  async close(): Promise<{ bytes: number; sha256: string }> {
    await this.flush()
    await this.handle.sync()
    await this.handle.close()
    return { bytes: this.bytes, sha256: this.hash.digest('hex') }
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined)
  }
}

export interface NdjsonLine {
  readonly line: number
  readonly value: unknown
}

/** Parses a file one line at a time; a line that is not JSON throws naming the line. */
export async function* readNdjson(file: string): AsyncGenerator<NdjsonLine> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8', highWaterMark: CHUNK }), crlfDelay: Infinity })
  let line = 0
  for await (const text of lines) {
    line++
    if (text === '') continue
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      lines.close()
      throw new SyntaxError(`line ${line} is not JSON`)
    }
    yield { line, value }
  }
}

/** The last non-empty line, read from the end, so a complete file can be told from a cut one
 * before anything else is done with it. */
export function readLastLine(file: string): string {
  const fd = openSync(file, 'r')
  try {
    const size = fstatSync(fd).size
    const length = Math.min(size, 64 * 1024)
    const buf = Buffer.alloc(length)
    readSync(fd, buf, 0, length, size - length)
    const lines = buf.toString('utf8').split('\n').filter((l) => l.trim() !== '')
    return lines[lines.length - 1] ?? ''
  } finally {
    closeSync(fd)
  }
}
