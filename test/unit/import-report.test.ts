/** Reading Import -WhatIf findings back from its -Report HTML (runner/steps/import-report.ts). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeReport } from '../../runner/lab/report.js'
import { mergeFindings, reportFindings } from '../../runner/steps/import-report.js'

describe('reportFindings', () => {
  it('reads the lab emulator report back: errors and warnings by their headings, entities decoded, "None." empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-report-'))
    try {
      const file = join(dir, 'r.html')
      await writeReport(file, { title: 'Import-CsPersistentChatData -WhatIf (lab emulator)', summary: ['would import 3 rooms'], errors: ["room 'O'Brien’s <team>' & co: name over 256 characters"], warnings: [] })
      expect(reportFindings(readFileSync(file, 'utf8'))).toEqual({ recognised: true, errors: ["room 'O'Brien’s <team>' & co: name over 256 characters"], warnings: [] })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('reads table rows under a Warnings heading, and says when no heading names errors or warnings', () => {
    expect(reportFindings('<h3>Import warnings</h3><table><tr><td>Room</td><td>invitations off</td></tr></table><h3>Summary</h3><p>done</p>')).toEqual({ recognised: true, errors: [], warnings: ['Room invitations off'] })
    expect(reportFindings('<html><body><p>Imported 3 rooms</p></body></html>')).toEqual({ recognised: false, errors: [], warnings: [] })
  })

  it('merges two sources, listing a finding both give once', () => {
    expect(mergeFindings(['Room A: bad', 'Room B: bad'], ['room a:  bad', 'Room C: bad'])).toEqual(['Room A: bad', 'Room B: bad', 'Room C: bad'])
  })
})
