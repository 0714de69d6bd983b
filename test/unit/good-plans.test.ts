import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { validatePlanText } from '../../runner/plan/load.js'

/**
 * Plans that must be accepted: the byte-level variants an admin's editor produces (a UTF-8 BOM,
 * Windows CRLF line endings), anchors and aliases within the alias bound, and non-ASCII names with
 * quotes in them. Each validates with no finding at all (the good plans confirm their service names,
 * so not even a warning).
 */
const dir = join(import.meta.dirname, '..', 'plans', 'good')
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()

function load(file: string): Buffer {
  return readFileSync(join(dir, file))
}

/** Every string in a value, to look for what a line ending or a BOM could leave behind. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(strings)
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings)
  return []
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf])

describe('good plan corpus', () => {
  it('holds the BOM, CRLF, anchors and non-ASCII plans', () => {
    expect(files).toEqual(expect.arrayContaining(['bom.yaml', 'crlf.yaml', 'bom-crlf.yaml', 'anchors.yaml', 'non-ascii-names.yaml']))
  })

  it.each(files)('%s validates with no findings', (file) => {
    const result = validatePlanText(load(file).toString('utf8'), file)
    expect(result.findings).toEqual([])
    expect(result.plan).toBeDefined()
    for (const s of strings(result.plan)) {
      expect(s, 'no carriage return or BOM is left in a value').not.toMatch(/[\r\ufeff]/)
    }
  })

  it('really has the bytes it is named for (an editor or git may have normalised them)', () => {
    for (const file of ['bom.yaml', 'bom-crlf.yaml']) expect(load(file).subarray(0, 3).equals(BOM), `${file} starts with EF BB BF`).toBe(true)
    for (const file of ['crlf.yaml', 'bom-crlf.yaml']) {
      const text = load(file).toString('latin1')
      expect(text, `${file} uses CRLF`).toContain('\r\n')
      expect(text, `${file} has no bare LF`).not.toMatch(/[^\r]\n/)
    }
    for (const file of ['crlf.yaml', 'anchors.yaml', 'non-ascii-names.yaml']) expect(load(file).subarray(0, 3).equals(BOM), `${file} has no BOM`).toBe(false)
  })

  it('keeps the values the plans spell out', () => {
    const crlf = validatePlanText(load('crlf.yaml').toString('utf8'), 'crlf.yaml').plan
    expect(crlf?.environment.workDir).toBe('D:\\cutover')
    expect(crlf?.rooms.map[0]?.description).toBe('Nightly build results, folded onto one line.')
    expect(crlf?.decommission[0]).toEqual({ manual: { title: 'Remove the Group Chat DNS records', instructions: 'Remove the A record of gc01.\nThen run cutover approve.\n' } })

    const anchors = validatePlanText(load('anchors.yaml').toString('utf8'), 'anchors.yaml').plan
    expect(anchors?.legacyClients?.endpoint).toBe('sip:ocschat@contoso.com')
    expect(anchors?.rooms.map.map((r) => r.source)).toEqual(['gc', 'gc', 'gc'])
    expect(anchors?.decommission).toEqual([
      { 'uninstall-groupchat': { servers: ['gc01.contoso.com', 'gc02.contoso.com'] } },
      { 'remove-trusted-application': { pool: 'gcpool.contoso.com' } },
    ])

    const names = validatePlanText(load('non-ascii-names.yaml').toString('utf8'), 'non-ascii-names.yaml').plan
    expect(names?.rooms.map.map((r) => r.room)).toEqual([
      'Ventes/Équipe de Zürich/L\'apéro "du vendredi"',
      "Engineering/O'Brien's room",
      '東京/開発/毎日のビルド',
      'Support/Café "Crème" & Co',
    ])
    expect(names?.rooms.map[0]?.rename).toBe("Apéro “du vendredi” – l'équipe")
    expect(names?.rooms.categories[2]?.from).toBe('R&D \\/ QA')
  })
})
