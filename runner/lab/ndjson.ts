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
 * gives the event loop its turn, so a spinner keeps turning while a big file is read. Lines are
 * handed out synchronously within a chunk (`take`), so a reader awaits once per chunk and not once
 * per line: a promise per line through two async generators cost the lab's import 1 s per pass of
 * a 300,000-message export (issue 14). Each line is parsed only when it is taken. */
export class NdjsonReader {
  private readonly decoder = new StringDecoder('utf8')
  private readonly buffer = Buffer.allocUnsafe(CHUNK)
  private lines: readonly string[] = []
  private index = 0
  private line = 0
  private rest = ''
  private eof = false

  private constructor(private readonly handle: FileHandle) {}

  static async open(file: string): Promise<NdjsonReader> {
    return new NdjsonReader(await open(file, 'r'))
  }

  /** The next line of the chunk in hand, or undefined once it is used up (then `refill`). */
  take(): NdjsonLine | undefined {
    while (this.index < this.lines.length) {
      const text = this.lines[this.index++] ?? ''
      this.line++
      if (text === '') continue
      try {
        return { line: this.line, value: JSON.parse(text) as unknown }
      } catch {
        throw new SyntaxError(`line ${this.line} is not JSON`)
      }
    }
    return undefined
  }

  /** Reads on until a line is there and takes it; undefined at the end of the file. Written
   * `reader.take() ?? (await reader.refill())`, a reader awaits only when a chunk is used up. */
  async refill(): Promise<NdjsonLine | undefined> {
    for (;;) {
      const next = this.take()
      if (next !== undefined || this.eof) return next
      await this.read()
    }
  }

  async close(): Promise<void> {
    await this.handle.close()
  }

  private async read(): Promise<void> {
    const { bytesRead } = await this.handle.read(this.buffer, 0, CHUNK, null)
    const eof = bytesRead === 0
    const text = this.rest + (eof ? this.decoder.end() : this.decoder.write(this.buffer.subarray(0, bytesRead)))
    // Up to the last line break; a CR that ends the chunk may be half of a CRLF, so it waits.
    let cut = text.length
    if (!eof) {
      let cr = text.lastIndexOf('\r')
      if (cr === text.length - 1) cr = cr > 0 ? text.lastIndexOf('\r', cr - 1) : -1
      cut = Math.max(text.lastIndexOf('\n'), cr) + 1
    }
    const complete = text.slice(0, cut)
    this.rest = text.slice(cut)
    const lines = complete === '' ? [] : complete.split(/\r\n|\n|\r/)
    // What follows the last line break is no line (before the end of the file, nothing does).
    if (complete !== '' && (!eof || /[\r\n]$/.test(complete))) lines.pop()
    this.lines = lines
    this.index = 0
    this.eof = eof
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
