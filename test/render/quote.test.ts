import { describe, expect, it } from 'vitest'
import type { Command, ParamValue } from '../../runner/core/command.js'
import { QuoteError, psCommand, psString, psValue } from '../../runner/runtimes/powershell/quote.js'

function quoteError(fn: () => unknown): QuoteError {
  try {
    fn()
  } catch (e) {
    if (e instanceof QuoteError) return e
    throw e
  }
  throw new Error('expected a QuoteError')
}

describe('psString: the five single-quote characters', () => {
  // tree-sitter's grammar knows only the apostrophe as a quote, so parsing cannot check the other
  // four: these tests pin the exact output instead.
  it.each([
    ["'", 'apostrophe U+0027'],
    ['\u2018', 'left single quotation mark U+2018'],
    ['\u2019', 'right single quotation mark U+2019'],
    ['\u201A', 'single low-9 quotation mark U+201A'],
    ['\u201B', 'single high-reversed-9 quotation mark U+201B'],
  ])('doubles %s (%s) as itself', (q) => {
    expect(psString(q, 't')).toBe(`'${q}${q}'`)
    expect(psString(`a${q}b`, 't')).toBe(`'a${q}${q}b'`)
    expect(psString(`${q}${q}`, 't')).toBe(`'${q}${q}${q}${q}'`)
  })

  it('doubles each of them in a mixed value, in place', () => {
    expect(psString("O'Brien’s ‘Team’ ‚low‛", 't')).toBe("'O''Brien’’s ‘‘Team’’ ‚‚low‛‛'")
    expect(psString("'’‘‚‛", 't')).toBe("'''’’‘‘‚‚‛‛'")
  })

  it('leaves double quotes, $, backticks and every other character as they are', () => {
    const v = '"dq" $(Get-Date) ${x} `whoami` ; | & # <# #> @\' “smart” – 東京 Zürich Ελληνικά 😀'
    expect(psString(v, 't')).toBe(`'${v.replace("'", "''")}'`)
  })

  it('writes the empty string as an empty literal', () => {
    expect(psString('', 't')).toBe("''")
  })

  it('accepts TAB, LF and CR, which a single-quoted literal holds as they are', () => {
    expect(psString('a\tb\nc\r\nd', 't')).toBe("'a\tb\nc\r\nd'")
  })
})

describe('psString: characters no script may hold', () => {
  const rejected: [string, string][] = [
    ['\u0000', 'U+0000'], ['\u0001', 'U+0001'], ['\u0007', 'U+0007'], ['\u0008', 'U+0008'], ['\u000B', 'U+000B'],
    ['\u000C', 'U+000C'], ['\u001B', 'U+001B'], ['\u001F', 'U+001F'], ['\u007F', 'U+007F'], ['\u0080', 'U+0080'],
    ['\u0085', 'U+0085'], ['\u009F', 'U+009F'], ['\uD800', 'U+D800'], ['\uDC00', 'U+DC00'],
  ]

  it.each(rejected)('rejects %j, naming the source and %s, never the value', (ch, code) => {
    const secret = `room-name-${'x'.repeat(40)}`
    const e = quoteError(() => psString(`${secret}${ch}tail`, 'rooms.map[3].rename'))
    expect(e.source).toBe('rooms.map[3].rename')
    expect(e.message).toContain('rooms.map[3].rename')
    expect(e.message).toContain(code)
    expect(e.message).toContain(`position ${secret.length + 1}`)
    expect(e.message).not.toContain(secret)
    expect(e.message.split('\n')).toHaveLength(1)
  })

  it('accepts a surrogate pair (a character outside the BMP)', () => {
    expect(psString('😀', 't')).toBe("'😀'")
  })

  it('rejects line breaks only where asked (inside a comment line)', () => {
    expect(psString('a\nb', 't')).toBe("'a\nb'")
    for (const br of ['\n', '\r', '\u2028', '\u2029']) {
      expect(quoteError(() => psString(`a${br}b`, 'name', { singleLine: true })).message).toMatch(/^name: character U\+[0-9A-F]{4} at position 2 is a line break/)
    }
  })

  it('rejects what is not text', () => {
    expect(quoteError(() => psString(undefined as unknown as string, 'x.y')).message).toBe('x.y: expected text, got undefined')
    expect(quoteError(() => psString(42 as unknown as string, 'x.y')).message).toBe('x.y: expected text, got number')
  })
})

describe('psValue', () => {
  it('writes arrays as @(...) of literals, the empty one as @()', () => {
    expect(psValue(['a', "b'c", 'd’e'], 's')).toBe("@('a', 'b''c', 'd’’e')")
    expect(psValue(['one'], 's')).toBe("@('one')")
    expect(psValue([], 's')).toBe('@()')
  })

  it('names the element of an array that cannot be written', () => {
    expect(quoteError(() => psValue(['ok', 'bad\u0000'], 'target.services')).source).toBe('target.services[1]')
  })

  it('writes booleans as $true / $false', () => {
    expect(psValue({ bool: true }, 's')).toBe('$true')
    expect(psValue({ bool: false }, 's')).toBe('$false')
    expect(() => psValue({ bool: 'yes' } as unknown as ParamValue, 's')).toThrow(QuoteError)
  })

  it('writes numbers as finite literals and refuses NaN and infinities', () => {
    expect(psValue(42, 's')).toBe('42')
    expect(psValue(0, 's')).toBe('0')
    expect(psValue(-5, 's')).toBe('(-5)')
    expect(psValue(1.5, 's')).toBe("([double]::Parse('1.5', [Globalization.CultureInfo]::InvariantCulture))")
    for (const n of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(quoteError(() => psValue(n, 'rooms.count')).message).toMatch(/^rooms\.count: .* is not a finite number$/)
    }
  })

  it('parses dates invariantly, after checking they are ISO 8601', () => {
    expect(psValue({ date: '2019-01-01' }, 's')).toBe("([datetime]::Parse('2019-01-01', [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::RoundtripKind))")
    for (const ok of ['2024-02-29', '2026-12-05T22:00', '2026-12-05T22:00:30', '2026-12-05T22:00:30.5Z', '2026-12-05T22:00:00+01:00']) {
      expect(psValue({ date: ok }, 's')).toBe(`([datetime]::Parse('${ok}', [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::RoundtripKind))`)
    }
    for (const bad of ['2019-1-1', '01/02/2019', '2019-13-01', '2019-02-30', '2023-02-29', '2019-01-01T24:00', "2019-01-01'); Stop-Computer; ('", '', 'yesterday']) {
      expect(quoteError(() => psValue({ date: bad }, 'rooms.cutoff')).message, bad).toMatch(/^rooms\.cutoff: not an ISO 8601 date/)
    }
  })

  it('writes add/remove lists as a hashtable', () => {
    expect(psValue({ addRemove: { add: ['sip:a@x.com'], remove: ["sip:o'b@x.com"] } }, 's')).toBe("@{Add=@('sip:a@x.com'); Remove=@('sip:o''b@x.com')}")
    expect(psValue({ addRemove: { add: ['a', 'b'] } }, 's')).toBe("@{Add=@('a', 'b')}")
    expect(psValue({ addRemove: { remove: [] } }, 's')).toBe('@{Remove=@()}')
    expect(() => psValue({ addRemove: {} }, 's')).toThrow(/names nothing to add or remove/)
    expect(quoteError(() => psValue({ addRemove: { add: ['ok'], remove: ['x\u0007'] } }, 'rooms.map[0].members')).source).toBe('rooms.map[0].members.remove[0]')
  })

  it("writes an admin's script as a script block created from one literal", () => {
    const script = "Write-Output 'it''s'\n$x = \"$(Get-Date)\" # ’\n"
    expect(psValue({ scriptBlock: script }, 's')).toBe(`([scriptblock]::Create('${script.replace(/'/g, "''").replace('’', '’’')}'))`)
    expect(quoteError(() => psValue({ scriptBlock: 'a\u0000' }, 'decommission[3].powershell.script')).source).toBe('decommission[3].powershell.script')
  })

  it('refuses a switch as a value (psCommand writes it bare), and unknown shapes', () => {
    expect(() => psValue({ switch: true }, 's')).toThrow(/written as a bare -Name/)
    expect(() => psValue({ other: 1 } as unknown as ParamValue, 's')).toThrow(QuoteError)
    expect(() => psValue({ bool: true, date: '2019-01-01' } as unknown as ParamValue, 's')).toThrow(QuoteError)
    expect(() => psValue(null as unknown as ParamValue, 's')).toThrow(QuoteError)
  })
})

describe('psCommand', () => {
  it('writes the cmdlet, then each parameter with its value, switches bare, in order', () => {
    const cmd: Command = {
      cmdlet: 'Set-CsPersistentChatRoom',
      params: [['Identity', "pchat.contoso.com\\O'Brien"], ['Disabled', { bool: true }], ['Members', { addRemove: { add: ['sip:a@x.com'] } }], ['Force', { switch: true }], ['Count', 3]],
    }
    expect(psCommand(cmd, 's')).toBe("Set-CsPersistentChatRoom -Identity 'pchat.contoso.com\\O''Brien' -Disabled $true -Members @{Add=@('sip:a@x.com')} -Force -Count 3")
    expect(psCommand({ cmdlet: 'Enable-CsTopology', params: [] }, 's')).toBe('Enable-CsTopology')
  })

  it('runs a command with a computer through Invoke-Command there', () => {
    const cmd: Command = { cmdlet: 'Stop-Service', params: [['Name', ['GroupChatChannel', "Chat'Lookup"]]], computer: 'gc01.x' }
    expect(psCommand(cmd, 's')).toBe("Invoke-Command -ComputerName 'gc01.x' -ScriptBlock { $ErrorActionPreference = 'Stop'; Stop-Service -Name @('GroupChatChannel', 'Chat''Lookup') }")
    expect(quoteError(() => psCommand({ ...cmd, computer: 'gc01\u0000' }, 'step x')).source).toBe('step x computer')
  })

  it('checks cmdlet and parameter names, which are code, not data', () => {
    for (const cmdlet of ['Get-Date; Stop-Computer', 'Get-Date ', '&Get-Date', 'Get-$x', '1Get', 'Get-Cs-User', '', "Get-'x'", 'Get-Date`n']) {
      expect(() => psCommand({ cmdlet, params: [] }, 's'), cmdlet).toThrow(QuoteError)
    }
    for (const name of ['-Name', 'Na me', 'Name;', 'Name:', '$x', '', '1a', 'Na-me']) {
      expect(() => psCommand({ cmdlet: 'Get-Date', params: [[name, 'x']] }, 's'), name).toThrow(QuoteError)
    }
    expect(psCommand({ cmdlet: 'Import-Module', params: [['Name', 'x']] }, 's')).toBe("Import-Module -Name 'x'")
    expect(psCommand({ cmdlet: 'Get7', params: [['A1', 'x']] }, 's')).toBe("Get7 -A1 'x'")
  })

  it('names the parameter of a value that cannot be written', () => {
    const e = quoteError(() => psCommand({ cmdlet: 'Set-CsPersistentChatRoom', params: [['Identity', 'ok'], ['Description', 'bad\u0001']] }, 'step cutover.mappings, command 2'))
    expect(e.source).toBe('step cutover.mappings, command 2 -Description')
    expect(e.message).toContain('U+0001')
  })

  it('refuses a switch that is not simply present', () => {
    expect(() => psCommand({ cmdlet: 'Get-Date', params: [['Force', { switch: false } as unknown as ParamValue]] }, 's')).toThrow(/either present/)
  })
})
