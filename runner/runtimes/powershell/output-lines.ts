import { StringDecoder } from 'node:string_decoder'
import { RESULT_MARKER } from './protocol.js'

/**
 * A child's output stream cut into lines as it arrives, in bounded memory: only the current line
 * is held, and only up to a cap. A line that starts with the result marker may be as long as
 * `maxResultChars` (it is JSON); any other line is kept up to `maxLogChars` and the rest counted,
 * not stored. Decodes UTF-8 across chunk boundaries; drops the `\r` of `\r\n` and a byte order
 * mark at the very start (PowerShell writes one when its output encoding is UTF-8 with BOM).
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8')
  private partial = ''
  private dropped = 0
  private atStart = true
  /** The current line's cap, once its start shows whether it is a result line. */
  private cap: number | undefined

  constructor(
    private readonly onLine: (line: string, droppedChars: number) => void,
    private readonly maxLogChars: number,
    private readonly maxResultChars: number,
  ) {}

  push(chunk: Buffer): void {
    this.take(this.decoder.write(chunk))
  }

  /** The stream ended: decodes what is left and emits an unterminated last line. */
  end(): void {
    this.take(this.decoder.end())
    if (this.partial !== '' || this.dropped > 0) this.emit()
  }

  private take(text: string): void {
    if (this.atStart && text !== '') {
      this.atStart = false
      if (text.startsWith('\uFEFF')) text = text.slice(1)
    }
    let start = 0
    for (;;) {
      const nl = text.indexOf('\n', start)
      this.append(nl === -1 ? text.slice(start) : text.slice(start, nl))
      if (nl === -1) return
      this.emit()
      start = nl + 1
    }
  }

  private append(piece: string): void {
    if (piece === '') return
    if (this.dropped > 0) {
      this.dropped += piece.length
      return
    }
    const room = (this.cap ?? this.capFor(piece)) - this.partial.length
    if (piece.length <= room) {
      this.partial += piece
    } else {
      this.partial += piece.slice(0, Math.max(0, room))
      this.dropped += piece.length - Math.max(0, room)
    }
  }

  /** The longer cap while the line is, or may still become, a result line; decided once the
   * line is as long as the marker (never by slicing a long line again: that would copy it). */
  private capFor(piece: string): number {
    const m = RESULT_MARKER.length
    const head = (this.partial + piece.slice(0, m)).slice(0, m)
    if (head.startsWith(RESULT_MARKER)) return (this.cap = this.maxResultChars)
    if (RESULT_MARKER.startsWith(head)) return this.maxResultChars // not decided yet
    return (this.cap = this.maxLogChars)
  }

  private emit(): void {
    let line = this.partial
    if (this.dropped === 0 && line.endsWith('\r')) line = line.slice(0, -1)
    const dropped = this.dropped
    this.partial = ''
    this.dropped = 0
    this.cap = undefined
    this.onLine(line, dropped)
  }
}

/** The last `size` lines seen, each cut to `width` characters: what an error message quotes. */
export class Tail {
  private readonly lines: string[] = []

  constructor(
    private readonly size: number,
    private readonly width: number,
  ) {}

  add(line: string): void {
    this.lines.push(line.length > this.width ? `${line.slice(0, this.width)}… (${line.length - this.width} more characters)` : line)
    if (this.lines.length > this.size) this.lines.shift()
  }

  text(): string {
    return this.lines.length === 0 ? ' (none)' : this.lines.map((l) => `\n  ${l}`).join('')
  }
}
