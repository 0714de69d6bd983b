/** The stub generator on its own (no pwsh needed): what it takes from the pages, and what it refuses. */
import { describe, expect, it } from 'vitest'
import { generateStubModule, loadPages, stubOf } from './stubs/generate.js'

const PAGES = loadPages()
const page = (name: string) => {
  const p = PAGES.pages.find((x) => x.cmdlet === name)
  if (p === undefined) throw new Error(`no page ${name}`)
  return p
}

describe('the stub generator', () => {
  it('takes sets, Mandatory flags, positions and types from the pages', () => {
    const imp = stubOf(page('Import-CsPersistentChatData'))
    expect(imp.sets).toEqual(['ByteInput', 'FileName'])
    expect(imp.parameters.find((p) => p.name === 'FileName')).toMatchObject({ psType: 'string', sets: [{ set: 'FileName', mandatory: true, position: null }] })
    expect(imp.parameters.find((p) => p.name === 'WhatIf')).toMatchObject({ psType: 'switch', aliases: ['wi'] })
    const room = stubOf(page('Set-CsPersistentChatRoom'))
    expect(room.defaultSet).toBe('Identity')
    expect(room.parameters.find((p) => p.name === 'Disabled')?.psType).toBe('bool')
    expect(room.parameters.find((p) => p.name === 'Members')?.psType).toBe('System.Management.Automation.PSListModifier[string]')
    expect(stubOf(page('Export-CsPersistentChatData')).parameters.find((p) => p.name === 'StartDate')?.psType).toBe('datetime')
  })

  it('writes one [CmdletBinding()] function per page', () => {
    const { text, cmdlets } = generateStubModule()
    expect(cmdlets).toHaveLength(PAGES.pages.length)
    for (const c of cmdlets) expect(text).toMatch(new RegExp(`function ${c.name} \\{\\n  \\[CmdletBinding\\(`))
  })

  it('refuses a page type it has no stub type for, and a name that is not an identifier', () => {
    const base = page('Remove-CsPersistentChatEndpoint')
    const odd = { ...base, parameters: base.parameters.map((p, i) => (i === 0 ? { ...p, tables: (p.tables).map((t) => t.replace(/^Type: .*$/m, 'Type: Microsoft.Rtc.Whatever')) } : p)) }
    expect(() => stubOf(odd)).toThrow(/no stub type for the page's type Microsoft\.Rtc\.Whatever/)
    expect(() => stubOf({ ...base, parameters: [{ name: 'Bad$(x)', tables: base.parameters[0]?.tables ?? [] }] })).toThrow(/parameter name/)
  })
})
