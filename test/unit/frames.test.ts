import { beforeEach, describe, expect, it, vi } from 'vitest'
import type wrapAnsi from 'wrap-ansi'

// Counts wrap-ansi's calls: FrameWriter must wrap a line once while it stays the same.
const wraps = vi.hoisted(() => ({ count: 0 }))
vi.mock('wrap-ansi', async (actual) => {
  const real = (await actual<{ default: typeof wrapAnsi }>()).default
  return { default: (...args: Parameters<typeof wrapAnsi>) => {
    wraps.count++
    return real(...args)
  } }
})
const { FrameWriter, WRAPPED_KEPT } = await import('../../runner/cli/render/frames.js')

const ERASE = '\u001B[2K'
const UP = '\u001B[1A'
const LEFT = '\u001B[G'

function terminal(columns: number, rows: number): { written: string[]; writer: InstanceType<typeof FrameWriter> } {
  const written: string[] = []
  return { written, writer: new FrameWriter(() => ({ columns, rows, write: (t: string) => written.push(t) })) }
}

// What log-update (listr2's updater) writes, which FrameWriter replaces (issue 14).
describe('FrameWriter', () => {
  beforeEach(() => {
    wraps.count = 0
  })

  it('writes a frame, then erases its lines before the next, and writes nothing for the same frame', () => {
    const { written, writer } = terminal(80, 24)
    writer.draw('a\nb')
    expect(written).toEqual(['a\nb\n'])
    writer.draw('a\nb')
    expect(written).toHaveLength(1)
    writer.draw('c')
    // Three lines: a, b and the empty one the cursor waits on.
    expect(written[1]).toBe(`${ERASE}${UP}${ERASE}${UP}${ERASE}${LEFT}c\n`)
    writer.clear()
    expect(written[2]).toBe(`${ERASE}${UP}${ERASE}${LEFT}`)
    writer.draw('c')
    expect(written[3]).toBe('c\n')
  })

  it('wraps a line wider than the terminal, counting its rows, and shows only as many rows as the terminal has', () => {
    const { written, writer } = terminal(10, 3)
    writer.draw('one two three four')
    // Cut at the width, as log-update cuts (wordWrap: false).
    expect(written[0]).toBe('one two th\nree four\n')
    writer.draw('x')
    expect(written[1]).toBe(`${ERASE}${UP}${ERASE}${UP}${ERASE}${LEFT}x\n`)
    writer.draw('1\n2\n3\n4')
    // The last 3 of its 5 lines (the cursor's empty line included).
    expect(written[2]).toBe(`${ERASE}${UP}${ERASE}${LEFT}3\n4\n`)
  })

  it('wraps each line once while it stays the same, up to WRAPPED_KEPT lines', () => {
    const { writer } = terminal(80, 50)
    const list = Array.from({ length: 20 }, (_, i) => `\u001B[2m◼\u001B[22m step.${i}  Do this and that`)
    writer.draw(['⠋ running', ...list].join('\n'))
    const first = wraps.count
    expect(first).toBe(22)
    writer.draw(['⠙ running', ...list].join('\n'))
    expect(wraps.count).toBe(first + 1)
    for (let i = 0; i <= WRAPPED_KEPT; i++) writer.draw(`${i} / ${WRAPPED_KEPT} messages`)
    const before = wraps.count
    writer.draw(['⠋ running', ...list].join('\n'))
    // The bound was passed: every line is wrapped again.
    expect(wraps.count).toBe(before + 21)
  })
})
