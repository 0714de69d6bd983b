import { describe, expect, it } from 'vitest'
import { LineSplitter, Tail } from '../../runner/runtimes/powershell/output-lines.js'
import { formatElapsed } from '../../runner/core/time.js'
import { RESULT_MARKER } from '../../runner/runtimes/powershell/protocol.js'
import { MalformedResultError, parseScriptResult, toCommandResult } from '../../runner/runtimes/powershell/result-line.js'

function split(chunks: (string | Buffer)[], maxLog = 10, maxResult = 40): [string, number][] {
  const lines: [string, number][] = []
  const s = new LineSplitter((line, dropped) => lines.push([line, dropped]), maxLog, maxResult)
  for (const c of chunks) s.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : c)
  s.end()
  return lines
}

describe('LineSplitter', () => {
  it('cuts lines across chunks, drops the CR of CRLF, keeps an unterminated last line', () => {
    expect(split(['a\r', '\nb', 'c\n\nd'])).toEqual([['a', 0], ['bc', 0], ['', 0], ['d', 0]])
  })

  it('decodes a character split between chunks and drops a BOM only at the very start', () => {
    const bytes = Buffer.from('\uFEFFé’\n\uFEFFx\n', 'utf8')
    expect(split([...bytes].map((b) => Buffer.from([b])))).toEqual([['é’', 0], ['\uFEFFx', 0]])
  })

  it('keeps a log line up to its cap and counts the rest', () => {
    expect(split(['0123456789abc', 'def\nok\n'])).toEqual([['0123456789', 6], ['ok', 0]])
  })

  it('lets a result line be longer, up to its own cap', () => {
    const json = 'x'.repeat(40 - RESULT_MARKER.length)
    expect(split([RESULT_MARKER.slice(0, 5), RESULT_MARKER.slice(5), json, '\n'])).toEqual([[RESULT_MARKER + json, 0]])
    expect(split([RESULT_MARKER + json + 'yz\n'])).toEqual([[RESULT_MARKER + json, 2]])
    expect(split(['\uFEFF' + RESULT_MARKER + json + '\n'])).toEqual([[RESULT_MARKER + json, 0]])
  })

  it('gives a line that only starts like the marker the log cap (what was kept while undecided stays)', () => {
    expect(split(['##cutover-resul', 'T## 0123456789\n'])).toEqual([['##cutover-resul', 14]])
  })
})

describe('Tail', () => {
  it('keeps the last lines, each cut to a width', () => {
    const t = new Tail(2, 4)
    expect(t.text()).toBe(' (none)')
    for (const l of ['one', 'two', 'three33']) t.add(l)
    expect(t.text()).toBe('\n  two\n  thre… (3 more characters)')
  })
})

describe('parseScriptResult', () => {
  it('reads the protocol', () => {
    expect(parseScriptResult('{"ok":true,"results":[{"output":["a"],"data":{"n":1},"warnings":["w"],"errors":["e"]}]}')).toEqual({
      ok: true,
      results: [{ output: ['a'], data: { n: 1 }, warnings: ['w'], errors: ['e'] }],
    })
    expect(parseScriptResult('{"ok":false,"results":[],"error":"boom"}')).toEqual({ ok: false, results: [], error: 'boom' })
  })

  it('tolerates what Windows PowerShell 5.1 ConvertTo-Json does to lists: null, and one element unwrapped', () => {
    expect(parseScriptResult('{"ok":true,"results":{"output":"a","warnings":null,"errors":"e"}}')).toEqual({ ok: true, results: [{ output: ['a'], errors: ['e'] }] })
    expect(parseScriptResult('{"ok":true,"results":null}')).toEqual({ ok: true, results: [] })
  })

  it.each([
    ['', /not JSON/],
    ['null', /not a JSON object/],
    ['{"results":[]}', /"ok" is not true or false/],
    ['{"ok":false,"error":3}', /"error" is not text/],
    ['{"ok":true,"results":"x"}', /"results" is not a list/],
    ['{"ok":true,"results":[3]}', /results\[0\] is not an object/],
    ['{"ok":true,"results":[{"warnings":[null]}]}', /results\[0\]\.warnings\[0\] is null, not text/],
  ])('rejects %j', (json, expected) => {
    expect(() => parseScriptResult(json)).toThrow(MalformedResultError)
    expect(() => parseScriptResult(json)).toThrow(expected)
  })
})

describe('toCommandResult', () => {
  const redact = (t: string): string => t.replace('secret', '***')
  it('redacts text for people, moves errors into data.errors, leaves data values alone', () => {
    expect(toCommandResult({ output: ['a secret'], data: { pw: 'secret' }, warnings: ['w secret'], errors: ['e secret'] }, redact)).toEqual({
      output: ['a ***'],
      data: { pw: 'secret', errors: ['e ***'] },
      warnings: ['w ***'],
    })
    expect(toCommandResult({}, redact)).toEqual({ output: [] })
  })
})

describe('formatElapsed', () => {
  it('says timeouts the way people read them', () => {
    expect([7_200_000, 5_400_000, 90_000, 1500, 20].map(formatElapsed)).toEqual(['2 h', '90 min', '1.5 min', '1.5 s', '20 ms'])
  })
})
