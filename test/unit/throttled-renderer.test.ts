import { DefaultRenderer, ListrEventManager } from 'listr2'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { FrameWriter } from '../../runner/cli/render/frames.js'
import { FORMATTED_KEPT, REDRAW_MS, ThrottledRenderer } from '../../runner/cli/render/listr.js'

// Issue 14: listr2 redrew the whole task list on every change, synchronously; a long import on a
// terminal ran 2.5 times slower than with --quiet.
describe('ThrottledRenderer', () => {
  afterEach(() => vi.restoreAllMocks())

  it('redraws at once, then at most once per interval, and draws the last change', async () => {
    const draws: number[] = []
    vi.spyOn(DefaultRenderer.prototype, 'create').mockImplementation(() => 'the task list')
    vi.spyOn(FrameWriter.prototype, 'draw').mockImplementation(() => {
      draws.push(Date.now())
    })
    const r = new ThrottledRenderer([], {}, new ListrEventManager())
    for (let i = 0; i < 1000; i++) r.update()
    expect(draws).toHaveLength(1)
    await new Promise((resolve) => setTimeout(resolve, REDRAW_MS * 1.5))
    // The changes after the first draw are drawn once, at the end of the interval.
    expect(draws).toHaveLength(2)
    await new Promise((resolve) => setTimeout(resolve, REDRAW_MS * 1.5))
    expect(draws).toHaveLength(2)
    r.update()
    expect(draws).toHaveLength(3)
  })

  it('drops a pending redraw when it ends', async () => {
    vi.spyOn(DefaultRenderer.prototype, 'create').mockImplementation(() => 'the task list')
    const update = vi.spyOn(FrameWriter.prototype, 'draw').mockImplementation(() => undefined)
    const clear = vi.spyOn(FrameWriter.prototype, 'clear').mockImplementation(() => undefined)
    const end = vi.spyOn(DefaultRenderer.prototype, 'end').mockImplementation(() => undefined)
    const r = new ThrottledRenderer([], {}, new ListrEventManager())
    r.update()
    r.update()
    r.end()
    await new Promise((resolve) => setTimeout(resolve, REDRAW_MS * 1.5))
    expect(update).toHaveBeenCalledTimes(1)
    // Its frame is erased before listr2 prints the list for good.
    expect(clear).toHaveBeenCalledTimes(1)
    expect(end).toHaveBeenCalledTimes(1)
  })

  it('wraps a line once while its text, icon, level and width stay the same, and hands out copies', () => {
    const format = vi.spyOn(DefaultRenderer.prototype as unknown as Formatter, 'format').mockImplementation((message: string, icon: string) => [`${icon} ${message}`, 'second line'])
    const r = new ThrottledRenderer([], {}, new ListrEventManager()) as unknown as Formatter
    const first = r.format('cutover.import.gc2010  Import gc2010', '*', 0)
    first.push('changed by a caller')
    expect(r.format('cutover.import.gc2010  Import gc2010', '*', 0)).toEqual(['* cutover.import.gc2010  Import gc2010', 'second line'])
    expect(format).toHaveBeenCalledTimes(1)
    // Another spinner frame, level or text is another line.
    r.format('cutover.import.gc2010  Import gc2010', '+', 0)
    r.format('cutover.import.gc2010  Import gc2010', '*', 1)
    r.format('10 / 20 messages (50%)', '*', 0)
    expect(format).toHaveBeenCalledTimes(4)
  })

  it('keeps at most FORMATTED_KEPT wrapped lines', () => {
    const format = vi.spyOn(DefaultRenderer.prototype as unknown as Formatter, 'format').mockImplementation((message: string) => [message])
    const r = new ThrottledRenderer([], {}, new ListrEventManager()) as unknown as Formatter
    for (let i = 0; i <= FORMATTED_KEPT; i++) r.format(`${i} / ${FORMATTED_KEPT} messages`, '*', 0)
    expect(format).toHaveBeenCalledTimes(FORMATTED_KEPT + 1)
    // The bound was passed: the first line was dropped and is wrapped again.
    r.format(`0 / ${FORMATTED_KEPT} messages`, '*', 0)
    expect(format).toHaveBeenCalledTimes(FORMATTED_KEPT + 2)
  })
})

/** format is protected: the tests call it as listr2 does. */
interface Formatter {
  format(message: string, icon: string, level: number): string[]
}
