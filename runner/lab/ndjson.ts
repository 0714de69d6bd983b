/** Streaming NDJSON for the lab emulator's export files: written in chunks with backpressure
 * (each chunk's write is awaited) and hashed on the way, read line by line. */
import { createHash } from 'node:crypto'
import { openSync, closeSync, fstatSync, readSync } from 'node:fs'
import { open } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import { StringDecoder } from 'node:string_decoder'

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

/** Parses a file one line at a time; a line that is not JSON throws naming the line. Lines end
 * as readline ends them (LF, CRLF or a lone CR). Read in chunks with asynchronous reads, split by
 * hand: readline's events and queue cost more than the parsing (issue 14), and each chunk's read
 * gives the event loop its turn, so a spinner keeps turning while a big file is read. */
export async function* readNdjson(file: string): AsyncGenerator<NdjsonLine> {
  const handle = await open(file, 'r')
  try {
    const decoder = new StringDecoder('utf8')
    const buffer = Buffer.allocUnsafe(CHUNK)
    let rest = ''
    let line = 0
    const parse = (text: string): NdjsonLine | undefined => {
      line++
      if (text === '') return undefined
      try {
        return { line, value: JSON.parse(text) as unknown }
      } catch {
        throw new SyntaxError(`line ${line} is not JSON`)
      }
    }
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, null)
      const eof = bytesRead === 0
      const text = rest + (eof ? decoder.end() : decoder.write(buffer.subarray(0, bytesRead)))
      // Up to the last line break; a CR that ends the chunk may be half of a CRLF, so it waits.
      let cut = text.length
      if (!eof) {
        let cr = text.lastIndexOf('\r')
        if (cr === text.length - 1) cr = cr > 0 ? text.lastIndexOf('\r', cr - 1) : -1
        cut = Math.max(text.lastIndexOf('\n'), cr) + 1
      }
      const complete = text.slice(0, cut)
      rest = text.slice(cut)
      if (complete !== '') {
        const lines = complete.split(/\r\n|\n|\r/)
        // What follows the last line break is no line (before the end of the file, nothing does).
        if (!eof || /[\r\n]$/.test(complete)) lines.pop()
        for (const l of lines) {
          const parsed = parse(l)
          if (parsed !== undefined) yield parsed
        }
      }
      if (eof) return
    }
  } finally {
    await handle.close()
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
