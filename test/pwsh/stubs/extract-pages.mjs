// Writes cmdlet-pages.json, the generator's input: for each cmdlet cutover calls, the SYNTAX
// blocks and the per-parameter YAML tables of its page in MicrosoftDocs/office-docs-powershell,
// verbatim, at one commit of the older path (skype/skype-ps/skype/, where the per-set tables are).
//   node test/pwsh/stubs/extract-pages.mjs <git dir of that repository> [commit]
// Run by hand when the list changes; the tests read only the JSON it wrote.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const CMDLETS = [
  'Export-CsPersistentChatData', 'Import-CsPersistentChatData',
  'Get-CsUser', 'Disable-CsUser', 'Enable-CsUser',
  'New-CsPersistentChatEndpoint', 'Get-CsPersistentChatEndpoint', 'Remove-CsPersistentChatEndpoint',
  'Get-CsPersistentChatRoom', 'Set-CsPersistentChatRoom', 'Remove-CsPersistentChatRoom', 'Set-CsPersistentChatCategory',
  'Get-CsPersistentChatPolicy', 'Set-CsPersistentChatPolicy',
  'Get-CsTrustedApplicationPool', 'Remove-CsTrustedApplicationPool', 'Enable-CsTopology',
  'Get-CsWindowsService', 'Stop-CsWindowsService', 'Start-CsWindowsService',
  'Get-CsPool', 'Get-CsService',
]

const [gitDir, commitArg = '86e0b3ffcf'] = process.argv.slice(2)
const git = (...args) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 16 << 20 })
const commit = git('rev-parse', commitArg).trim()

function section(text, heading) {
  const start = text.indexOf(`\n## ${heading}\n`)
  if (start < 0) throw new Error(`no ## ${heading}`)
  const end = text.indexOf('\n## ', start + 1)
  return text.slice(start, end < 0 ? undefined : end)
}

const pages = CMDLETS.map((cmdlet) => {
  const path = `skype/skype-ps/skype/${cmdlet}.md`
  const text = git('show', `${commit}:${path}`).replace(/\r\n/g, '\n')
  // ### <set name> (absent when there is one set), then a fenced block.
  const syntax = [...section(text, 'SYNTAX').matchAll(/(?:### ([^\n]+)\n)?```\n([\s\S]*?)```/g)].map((m) => ({ set: m[1]?.trim() ?? null, text: m[2].trim() }))
  // ### -Name, prose, then one or more ```yaml blocks (one per parameter set on some pages).
  const parameters = [...section(text, 'PARAMETERS').matchAll(/### -([A-Za-z]+)\n([\s\S]*?)(?=\n### |\s*$)/g)].map((m) => ({
    name: m[1],
    tables: [...m[2].matchAll(/```yaml\n([\s\S]*?)```/g)].map((y) => y[1].trim()),
  }))
  return { cmdlet, page: path, syntax, parameters }
})

writeFileSync(join(import.meta.dirname, 'cmdlet-pages.json'), JSON.stringify({ repository: 'MicrosoftDocs/office-docs-powershell', commit, pages }, null, 1) + '\n')
console.log(`${pages.length} pages from ${commit}`)
