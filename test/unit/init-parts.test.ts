import { describe, expect, it } from 'vitest'
import { connectionFacts, instanceOf } from '../../runner/init/connection-string.js'
import { isSqlInstance as isPlanInstance } from '../../runner/plan/rules/addresses.js'
import { gitignoreChange } from '../../runner/init/gitignore.js'
import { pathText, shortenedName } from '../../runner/init/names.js'
import { parseSourceSpec } from '../../runner/init/source-spec.js'
import { nextSaturday, placeholderWindow, windowHours } from '../../runner/init/window.js'
import { commentText, wrap } from '../../runner/init/yaml-nodes.js'
import { splitPath } from '../../runner/plan/names.js'

describe('cutover init: --source', () => {
  it('tells the lab, a variable and a literal connection string apart', () => {
    expect(parseSourceSpec('lab')).toEqual({ kind: 'lab', dir: 'plans/.cutover/lab' })
    expect(parseSourceSpec('lab:')).toEqual({ kind: 'lab', dir: 'plans/.cutover/lab' })
    expect(parseSourceSpec('lab:plans/.cutover/lab')).toEqual({ kind: 'lab', dir: 'plans/.cutover/lab' })
    expect(parseSourceSpec('${env:GC_SQL}')).toEqual({ kind: 'env', reference: '${env:GC_SQL}', variable: 'GC_SQL' })
    // A reference inside a longer string is a literal: the plan gets ${env:GC_SQL}, never the text.
    expect(parseSourceSpec('Server=x;Password=${env:PW}').kind).toBe('literal')
  })

  it('reads the server and database of ADO.NET connection strings, whatever their spelling', () => {
    expect(connectionFacts('Server=sql01.contoso.com\\GC;Database=GroupChat;User Id=a;Password=b')).toEqual({ server: 'sql01.contoso.com\\GC', instance: 'sql01.contoso.com\\GC', database: 'GroupChat' })
    expect(connectionFacts(' data source = tcp:sql01.contoso.com,1433 ; INITIAL CATALOG="Group;Chat" ;pwd=x')).toEqual({ server: 'tcp:sql01.contoso.com,1433', instance: 'sql01.contoso.com', database: 'Group;Chat' })
    expect(connectionFacts("Password='it''s;secret';Address=sql02.contoso.com")).toEqual({ server: 'sql02.contoso.com', instance: 'sql02.contoso.com' })
    expect(connectionFacts('not a connection string')).toEqual({})
    expect(instanceOf('np:sql01.contoso.com\\GC')).toBe('sql01.contoso.com\\GC')
  })

  it('accepts as an instance only what the plan rule accepts', () => {
    expect(isPlanInstance('sql01.contoso.com\\GC')).toBe(true)
    expect(isPlanInstance('sql01.contoso.com')).toBe(true)
    for (const bad of ['sql01', 'localhost', '(local)', 'sql01.contoso.com\\G-C', 'a.b\\c\\d']) expect(isPlanInstance(bad), bad).toBe(false)
  })
})

describe('cutover init: the downtime placeholder', () => {
  it('opens next Saturday, never today', () => {
    expect(nextSaturday(new Date('2026-03-04T12:00:00Z'), 'UTC')).toBe('2026-03-07') // a Wednesday
    expect(nextSaturday(new Date('2026-03-07T12:00:00Z'), 'UTC')).toBe('2026-03-14') // a Saturday
    // Friday 23:30 in New York is already Saturday in UTC: the zone's date counts.
    expect(nextSaturday(new Date('2026-03-07T04:30:00Z'), 'America/New_York')).toBe('2026-03-07')
    expect(nextSaturday(new Date('2026-03-07T04:30:00Z'), 'UTC')).toBe('2026-03-14')
  })

  it('holds the forecast plus the margin in whole hours, real hours across a DST change', () => {
    expect(windowHours(88, '30m')).toBe(2)
    expect(windowHours(90, '30m')).toBe(2)
    expect(windowHours(91, '30m')).toBe(3)
    expect(windowHours(0, '30m')).toBe(1)
    expect(placeholderWindow(new Date('2026-03-04T12:00:00Z'), 'Europe/Berlin', 3)).toEqual({ start: '2026-03-07T22:00', end: '2026-03-08T01:00', timezone: 'Europe/Berlin', margin: '30m' })
    // 2026-03-08 02:00 in New York jumps to 03:00: six real hours end at 05:00 local.
    expect(placeholderWindow(new Date('2026-03-04T12:00:00Z'), 'America/New_York', 6).end).toBe('2026-03-08T05:00')
  })
})

describe('cutover init: .gitignore beside the plan', () => {
  it('creates, appends, or leaves alone', () => {
    expect(gitignoreChange(undefined)).toEqual({ action: 'created', text: '.cutover/\n' })
    expect(gitignoreChange('node_modules/')).toEqual({ action: 'appended', text: 'node_modules/\n.cutover/\n' })
    expect(gitignoreChange('dist\r\n')).toEqual({ action: 'appended', text: 'dist\r\n.cutover/\r\n' })
    expect(gitignoreChange('')).toEqual({ action: 'appended', text: '.cutover/\n' })
    for (const kept of ['.cutover\n', 'x\n/.cutover/\n', '  .cutover/  \n', '**/.cutover\n']) expect(gitignoreChange(kept), kept).toEqual({ action: 'unchanged' })
    // A comment or a deeper path does not ignore the folder.
    expect(gitignoreChange('# .cutover/\n').action).toBe('appended')
    expect(gitignoreChange('plans/.cutover/\n').action).toBe('appended')
  })
})

describe('cutover init: names and comments', () => {
  it('writes paths that read back as the same names', () => {
    for (const parts of [['Engineering', 'Build'], ['Ops/Infra', 'On call'], ["O'Brien’s ‘Team’"]]) expect(splitPath(pathText(parts))).toEqual(parts)
  })

  it('suggests shorter names cut at a word', () => {
    expect(shortenedName('Weekly status of the programme', 20)).toBe('Weekly status of the')
    expect(shortenedName('Weekly status, of the programme', 14)).toBe('Weekly status')
    expect(shortenedName('Short', 20)).toBe('Short')
    expect(shortenedName('Averyveryverylongword', 5)).toBe('Avery')
  })

  it('keeps comments on their lines: wrapped, and no line break from a name gets through', () => {
    expect(wrap('a '.repeat(60).trim(), 100).every((l) => l.length <= 100)).toBe(true)
    expect(commentText(['room "a\nversion: 2"'])).toBe(' room "a version: 2"')
  })
})
