import { DefaultRenderer, ListrEventManager } from 'listr2'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { REDRAW_MS, ThrottledRenderer } from '../../runner/cli/render/listr.js'

// Issue 14: listr2 redrew the whole task list on every change, synchronously; a long import on a
// terminal ran 2.5 times slower than with --quiet.
describe('ThrottledRenderer', () => {
  afterEach(() => vi.restoreAllMocks())

  it('redraws at once, then at most once per interval, and draws the last change', async () => {
    const draws: number[] = []
    vi.spyOn(DefaultRenderer.prototype, 'update').mockImplementation(() => {
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
    const update = vi.spyOn(DefaultRenderer.prototype, 'update').mockImplementation(() => undefined)
    const end = vi.spyOn(DefaultRenderer.prototype, 'end').mockImplementation(() => undefined)
    const r = new ThrottledRenderer([], {}, new ListrEventManager())
    r.update()
    r.update()
    r.end()
    await new Promise((resolve) => setTimeout(resolve, REDRAW_MS * 1.5))
    expect(update).toHaveBeenCalledTimes(1)
    expect(end).toHaveBeenCalledTimes(1)
  })
})
