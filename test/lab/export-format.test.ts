import { describe, expect, it } from 'vitest'
import { toRecord } from '../../runner/lab/export-format.js'

// Messages take a short way through toRecord (issue 14: they are almost every line of an export);
// it must refuse every message the field table refuses, with the same error.
const message = { type: 'message', room: 7, id: 1, date: '636503616000000000', user: 3, alert: false, content: 'hello', rtf: null }

const WRONG: Readonly<Record<string, readonly unknown[]>> = {
  room: ['7', null, undefined, true],
  id: ['1', null, undefined],
  date: [636503616000000000, null, undefined, '', '12x', '-1', '1.5'],
  user: ['3', null, undefined],
  alert: [0, 'false', null, undefined],
  content: [1, null, undefined, ['hello']],
  rtf: [1, undefined, false],
}

describe('toRecord, message records', () => {
  it('accepts a message as the format describes it, rtf a string or null', () => {
    expect(toRecord(message, 'f', 9)).toBe(message)
    const withRtf = { ...message, rtf: '{\\rtf1 hello}', alert: true }
    expect(toRecord(withRtf, 'f', 9)).toBe(withRtf)
  })

  for (const [field, values] of Object.entries(WRONG)) {
    it(`refuses a message whose '${field}' is wrong or missing, naming the file, line and field`, () => {
      for (const v of values) {
        const bad = v === undefined ? Object.fromEntries(Object.entries(message).filter(([k]) => k !== field)) : { ...message, [field]: v }
        const why = field === 'date' && typeof v === 'string' ? 'message date is not a tick count' : `message record has no valid '${field}'`
        expect(() => toRecord(bad, 'exports/gc.ndjson', 12)).toThrow(`exports/gc.ndjson:12: ${why}; is this a lab emulator export?`)
      }
    })
  }

  it('refuses what is not a record of a known type', () => {
    for (const v of [null, 'message', 3, [], { ...message, type: 'messages' }, { ...message, type: undefined }]) {
      expect(() => toRecord(v, 'f', 2)).toThrow('f:2: not a record of a known type')
    }
  })
})
