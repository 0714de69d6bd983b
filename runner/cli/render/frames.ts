/** Drawing the task list on a terminal, frame over frame. */
import wrapAnsi from 'wrap-ansi'

/** Where frames go: a terminal's stream, its size as it is now. */
export interface FrameStream {
  write(text: string): unknown
  readonly columns?: number
  readonly rows?: number
}

/** How many wrapped lines a FrameWriter keeps: a few frames of a long list, spinner frames included. */
export const WRAPPED_KEPT = 1_000

const ERASE_LINE = '\u001B[2K'
const CURSOR_UP = '\u001B[1A'
const CURSOR_LEFT = '\u001B[G'

/** Erases `count` lines upwards from the cursor's, as ansi-escapes' eraseLines does. */
function eraseLines(count: number): string {
  let clear = ''
  for (let i = 0; i < count; i++) clear += ERASE_LINE + (i < count - 1 ? CURSOR_UP : '')
  return count > 0 ? clear + CURSOR_LEFT : clear
}

/**
 * What log-update does for listr2's default renderer (erase the last frame's lines, write the new
 * frame, only as many lines as the terminal has rows, nothing when the frame is the same), with
 * one difference: log-update wraps the whole frame to the terminal's width on every draw, and
 * wrap-ansi measures each line once per word (string-width segmenting it by graphemes), 0.6 s of
 * CPU on a terminal run of the 300,000-message lab (issue 14), although from one frame to the next
 * only the spinner and the running step's output change. Here each line's wrap is kept.
 * A frame taller than the terminal loses its first lines whole (log-update cuts the text, keeping
 * colours that were opened before the cut; listr2 closes its colours on each line).
 */
export class FrameWriter {
  private lineCount = 0
  private previous: string | undefined
  private readonly wrapped = new Map<string, string>()

  constructor(private readonly stream: () => FrameStream) {}

  draw(frame: string): void {
    const out = this.stream()
    const width = out.columns ?? 80
    // log-update's frame ends with a line break: the cursor waits below the list.
    const lines = `${frame}\n`.split('\n')
    const shown = lines.slice(Math.max(0, lines.length - (out.rows ?? 24)))
    const key = `${width}\u0000${shown.join('\n')}`
    if (key === this.previous) return
    this.previous = key
    const text = shown.map((l) => this.wrap(l, width)).join('\n')
    out.write(eraseLines(this.lineCount) + text)
    this.lineCount = text.split('\n').length
  }

  /** Erases the frame on the terminal; the next one is drawn from scratch. */
  clear(): void {
    this.stream().write(eraseLines(this.lineCount))
    this.lineCount = 0
    this.previous = undefined
  }

  private wrap(line: string, width: number): string {
    const key = `${width}\u0000${line}`
    const kept = this.wrapped.get(key)
    if (kept !== undefined) return kept
    const text = wrapAnsi(line, width, { trim: false, hard: true, wordWrap: false })
    // Progress lines change all the time: past the bound, start again rather than grow.
    if (this.wrapped.size >= WRAPPED_KEPT) this.wrapped.clear()
    this.wrapped.set(key, text)
    return text
  }
}
