import { describe, expect, it } from 'vitest'
import { flattenedLength, flattenedName, isWithin, nameKey, roomsPerCategory, splitPath, withinAny } from '../../runner/plan/names.js'

describe('legacy paths', () => {
  it('splits on / and keeps an escaped \\/ inside a name', () => {
    expect(splitPath('Engineering/Build/Nightly')).toEqual(['Engineering', 'Build', 'Nightly'])
    expect(splitPath('R&D \\/ QA/Daily')).toEqual(['R&D / QA', 'Daily'])
    expect(splitPath("O'Brien’s/Zürich 東京")).toEqual(["O'Brien’s", 'Zürich 東京'])
  })

  it('refuses empty names', () => {
    for (const bad of ['', '/A', 'A/', 'A//B', 'A/ /B']) expect(splitPath(bad), bad).toBeUndefined()
  })

  it('flattens with parent names prefixed, one separator per level', () => {
    expect(flattenedName(['Engineering', 'Build'])).toBe('Engineering Build')
    expect(flattenedName(['A'.repeat(100), 'B'.repeat(100), 'C'.repeat(56)]).length).toBe(258)
  })

  it('gives the flattened name\'s length without building it', () => {
    for (const parts of [[], ['A'], ['Engineering', 'Build', 'Nightly'], ['a/b', '', 'é'], ['x'.repeat(300), 'y']]) expect(flattenedLength(parts), parts.join('|')).toBe(flattenedName(parts).length)
  })

  it('compares names without regard to case or Unicode form', () => {
    expect(nameKey('Zu\u0308rich')).toBe(nameKey('ZÜRICH'))
  })

  it('withinAny answers as a scan with isWithin does: the prefix itself, below it, names folded, an empty prefix holding all', () => {
    const prefixes = [['Archive'], ['Sales', 'Old deals'], ['Zu\u0308rich', 'Lab']]
    const paths = [[], ['Archive'], ['ARCHIVE', '2009'], ['Archived'], ['Sales'], ['Sales', 'old DEALS', 'Q4'], ['Sales', 'New'], ['ZÜRICH', 'lab', 'x'], ['Zürich']]
    const within = withinAny(prefixes)
    for (const p of paths) expect(within(p), p.join('/')).toBe(prefixes.some((x) => isWithin(p, x)))
    expect(paths.filter(within)).toHaveLength(4)
    expect(paths.every(withinAny([[]]))).toBe(true)
    expect(paths.some(withinAny([]))).toBe(false)
  })

  it('roomsPerCategory gives each category the rooms a filter with isWithin gives, nested categories both, in order', () => {
    const categories = [['Archive'], ['Archive', '2009'], ['Sales', 'Old deals'], ['Zu\u0308rich'], ['Nowhere']]
    const rooms = [['Archive'], ['ARCHIVE', '2009'], ['Archived'], ['Sales'], ['Sales', 'old DEALS', 'Q4'], ['ZÜRICH', 'lab'], ['archive', '2009', 'deep']].map((categoryPath, i) => ({ categoryPath, i }))
    const got = roomsPerCategory(categories, rooms)
    expect(got.map((g) => g.path)).toEqual(categories)
    for (const [n, c] of categories.entries()) expect(got[n]?.rooms.map((r) => r.i), c.join('/')).toEqual(rooms.filter((r) => isWithin(r.categoryPath, c)).map((r) => r.i))
    expect(got.map((g) => g.rooms.length)).toEqual([3, 2, 1, 1, 0])
  })
})
