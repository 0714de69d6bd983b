import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { validatePlanText } from '../../runner/plan/load.js'
import { unexportedCategory } from '../../runner/plan/rules/mappings.js'
import type { RuleReport } from '../../runner/plan/rules/rule.js'
import type { Plan } from '../../runner/plan/types.js'

/** Calls into runner/plan/names.ts: every comparison of two legacy names goes through it (nameKey's
 * case-insensitive rule, directly or through isWithin, pathKey, withinAny), so their count is the
 * rule's work, whatever data structure it uses. */
const namesCalls = vi.hoisted(() => ({ count: 0 }))
vi.mock('../../runner/plan/names.js', async (importOriginal) => {
  const names = await importOriginal<Record<string, unknown>>()
  return Object.fromEntries(Object.entries(names).map(([key, value]) => [key, typeof value !== 'function' ? value : (...args: unknown[]) => {
    namesCalls.count++
    return (value as (...a: unknown[]) => unknown)(...args)
  }]))
})

const base = readFileSync(join(import.meta.dirname, '..', 'plans', 'minimal.yaml'), 'utf8').split('\nrooms:')[0] ?? ''

function check(categories: string[], rooms: string[]) {
  const text = `${base}\nrooms:\n  categories:\n${categories.map((c) => `    - ${c}\n`).join('')}  map:\n${rooms.map((r) => `    - ${r}\n`).join('')}`
  return validatePlanText(text, 'p.yaml').findings.filter((f) => f.rule === 'not-exported').map((f) => `${f.line}:${f.column} ${f.message}`)
}

describe('not-exported', () => {
  it('names the first unexported category of the plan that holds the room, names compared case-insensitively', () => {
    const lines = `${base}\nrooms:\n  categories:\n`.split('\n').length
    const found = check(
      ['{ source: gc, from: Archive/Old, export: false }', '{ source: gc, from: archive, export: false }'],
      ['{ source: gc, room: ARCHIVE/old/2009, privacy: closed }', '{ source: gc, room: Archive/2010, privacy: closed }', '{ source: gc, room: Archived/2011, privacy: closed }'],
    )
    expect(found).toEqual([
      `${lines + 3}:27 room 'ARCHIVE/old/2009' is in a category that is not exported (line ${lines}); remove this mapping or export the category`,
      `${lines + 4}:27 room 'Archive/2010' is in a category that is not exported (line ${lines + 1}); remove this mapping or export the category`,
    ])
  })

  it('does not flag a room of another source or of an exported category', () => {
    expect(check(['{ source: gc, from: Archive, export: true }'], ['{ source: gc, room: Archive/2009, privacy: closed }'])).toEqual([])
  })

  // Issue 14: a scan of every unexported category per room took 8 s on 10,000 rooms with 2,000
  // categories left out. Linear: the work is at most a few name lookups per room and per category
  // (a scan per room makes it rooms x categories: 4,000,000 here). Counted, not timed.
  it('is linear in rooms plus categories', () => {
    const work = (rooms: number, unexported: number): number => {
      const map = Array.from({ length: rooms }, (_, i) => ({ source: 'gc', room: `Team ${i % 100}/Room ${i}` }))
      const categories = Array.from({ length: unexported }, (_, i) => ({ source: 'gc', from: `Left out ${i}`, export: false }))
      const plan = { rooms: { categories, map } } as unknown as Plan
      const reports: RuleReport[] = []
      namesCalls.count = 0
      unexportedCategory.check({ plan, report: (r) => reports.push(r), lineOf: () => 1 })
      expect(reports).toEqual([])
      return namesCalls.count
    }
    const PER_ITEM = 4
    for (const [rooms, unexported] of [[2_000, 1], [2_000, 2_000], [4_000, 2_000]] as const) {
      const count = work(rooms, unexported)
      expect(count, `${rooms} rooms, ${unexported} categories left out`).toBeGreaterThan(0)
      expect(count, `${rooms} rooms, ${unexported} categories left out`).toBeLessThanOrEqual(PER_ITEM * (rooms + unexported))
    }
  })
})
