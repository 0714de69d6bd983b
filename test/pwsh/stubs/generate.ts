/**
 * Generates the Lync stub module from cmdlet-pages.json (the SYNTAX blocks and parameter tables
 * of Microsoft's cmdlet pages, extract-pages.mjs): one advanced function per cmdlet with
 * [CmdletBinding()], the page's parameter sets, Mandatory flags, positions, aliases and types, so
 * pwsh's own binder refuses a call the real cmdlet would refuse (a misspelt parameter, a Boolean
 * written as a switch, a missing mandatory parameter, two sets at once). The bodies record and
 * delegate through stub-runtime.ps1.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface PageFile {
  readonly repository: string
  readonly commit: string
  readonly pages: readonly Page[]
}
export interface Page {
  readonly cmdlet: string
  readonly page: string
  readonly syntax: readonly { readonly set: string | null; readonly text: string }[]
  readonly parameters: readonly { readonly name: string; readonly tables: readonly string[] }[]
}

export interface StubParameter {
  readonly name: string
  /** The page's type and the PowerShell type the stub declares for it. */
  readonly pageType: string
  readonly psType: string
  readonly aliases: readonly string[]
  /** Per parameter set ('__AllParameterSets' for "(All)"): mandatory, and position or null (Named). */
  readonly sets: readonly { readonly set: string; readonly mandatory: boolean; readonly position: number | null }[]
}
export interface StubCmdlet {
  readonly name: string
  readonly page: string
  readonly sets: readonly string[]
  readonly defaultSet: string | null
  readonly parameters: readonly StubParameter[]
}

const ALL = '__AllParameterSets'

/**
 * Page types → the type the stub declares. Exact where pwsh has the type (SwitchParameter,
 * Boolean, DateTime, List<string>, PSListModifier<string>, ...). Lync's own identity types
 * (Fqdn, UserIdParameter, XdsIdentity, ...) are built from a string, which is what cutover
 * passes, so string. Lync's enums (ExportLevel, ChatRoomPrivacy, ...) are string too: their
 * values are not checked here (the lab emulator checks the ones cutover sends). Objects of Lync's
 * own classes (ChatRoom, Category, NTService) are psobject: cutover never passes them.
 */
const TYPES: Readonly<Record<string, string>> = {
  String: 'string',
  SwitchParameter: 'switch',
  Boolean: 'bool',
  DateTime: 'datetime',
  Int32: 'int',
  Guid: 'guid',
  'Byte[]': 'byte[]',
  PSCredential: 'System.Management.Automation.PSCredential',
  PSObject: 'psobject',
  'System.Collections.Generic.List`1[System.String]': 'System.Collections.Generic.List[string]',
  'System.Management.Automation.PSListModifier`1[System.String]': 'System.Management.Automation.PSListModifier[string]',
  Fqdn: 'string',
  UserIdParameter: 'string',
  OUIdParameter: 'string',
  XdsIdentity: 'string',
  XdsGlobalRelativeIdentity: 'string',
  'Microsoft.Rtc.Management.ADConnect.Core.Unlimited`1[System.UInt32]': 'string',
  ExportLevel: 'string',
  AddressType: 'string',
  ChatRoomInvitations: 'string',
  ChatRoomPrivacy: 'string',
  ChatRoomType: 'string',
  ChatRoom: 'psobject',
  Category: 'psobject',
  NTService: 'psobject',
}

// Names from the pages become code: only plain identifiers may (nothing needs quoting then).
const IDENT = /^[A-Za-z][A-Za-z0-9]*$/
const CMDLET = /^[A-Z][a-z]+-[A-Za-z]+$/

function field(table: string, key: string): string | undefined {
  return new RegExp(`^${key}: ?(.*)$`, 'm').exec(table)?.[1]?.trim()
}

export function loadPages(): PageFile {
  return JSON.parse(readFileSync(join(import.meta.dirname, 'cmdlet-pages.json'), 'utf8')) as PageFile
}

/** The stub model of one page: its sets and, per parameter, what each yaml table says. */
export function stubOf(page: Page): StubCmdlet {
  if (!CMDLET.test(page.cmdlet)) throw new Error(`not a cmdlet name: ${page.cmdlet}`)
  const sets = page.syntax.flatMap((s) => (s.set === null ? [] : [s.set]))
  for (const s of sets) if (!IDENT.test(s)) throw new Error(`${page.cmdlet}: parameter set name ${s}`)
  const seen = new Set<string>()
  const parameters = page.parameters.flatMap((p): StubParameter[] => {
    // Some pages list a parameter twice (Get-CsUser: UnAssignedUser); the first counts.
    if (seen.has(p.name.toLowerCase())) return []
    seen.add(p.name.toLowerCase())
    if (!IDENT.test(p.name)) throw new Error(`${page.cmdlet}: parameter name ${p.name}`)
    const [first] = p.tables
    if (first === undefined) throw new Error(`${page.cmdlet} -${p.name}: no parameter table`)
    const pageType = field(first, 'Type') ?? ''
    const psType = TYPES[pageType]
    if (psType === undefined) throw new Error(`${page.cmdlet} -${p.name}: no stub type for the page's type ${pageType}`)
    // An alias that is also a parameter's name (Get-CsUser: OnModernServer's alias OnLyncServer,
    // a parameter of its own on the same page) cannot be both in one function; the parameter wins.
    const aliases = (field(first, 'Aliases') ?? '').split(',').map((a) => a.trim()).filter((a) => a !== '')
    for (const a of aliases) if (!IDENT.test(a)) throw new Error(`${page.cmdlet} -${p.name}: alias ${a}`)
    const perSet = p.tables.flatMap((t) => {
      const names = (field(t, 'Parameter Sets') ?? '(All)').split(',').map((s) => s.trim())
      const mandatory = (field(t, 'Required') ?? 'False').toLowerCase() === 'true'
      const pos = field(t, 'Position') ?? 'Named'
      const position = /^\d+$/.test(pos) ? Number(pos) : null
      return names.map((n) => ({ set: n === '(All)' ? ALL : n, mandatory, position }))
    })
    for (const s of perSet) if (s.set !== ALL && !sets.includes(s.set)) throw new Error(`${page.cmdlet} -${p.name}: set ${s.set} is not in the page's syntax`)
    return [{ name: p.name, pageType, psType, aliases: aliases.filter((a) => !page.parameters.some((q) => q.name.toLowerCase() === a.toLowerCase())), sets: perSet }]
  })
  // The page does not say which set applies when a call fits several; Identity where there is one
  // (it is what cutover passes), otherwise the first syntax block's.
  const defaultSet = sets.length === 0 ? null : sets.includes('Identity') ? 'Identity' : (sets[0] ?? null)
  return { name: page.cmdlet, page: page.page, sets, defaultSet, parameters }
}

function renderFunction(c: StubCmdlet): string {
  const binding = c.defaultSet === null ? '[CmdletBinding()]' : `[CmdletBinding(DefaultParameterSetName = '${c.defaultSet}')]`
  const params = c.parameters.map((p) => {
    const attrs = p.sets.map((s) => {
      const parts = [...(s.set === ALL ? [] : [`ParameterSetName = '${s.set}'`]), ...(s.mandatory ? ['Mandatory = $true'] : []), ...(s.position === null ? [] : [`Position = ${String(s.position)}`])]
      return `    [Parameter(${parts.join(', ')})]`
    })
    const alias = p.aliases.length === 0 ? [] : [`    [Alias(${p.aliases.map((a) => `'${a}'`).join(', ')})]`]
    return [...attrs, ...alias, `    [${p.psType}] $${p.name}`].join('\n')
  })
  const names = c.parameters.map((p) => `'${p.name}'`).join(', ')
  return `# ${c.page}
function ${c.name} {
  ${binding}
  param(
${params.join(',\n')}
  )
  Invoke-CutoverStub -Cmdlet '${c.name}' -ParameterSet $PSCmdlet.ParameterSetName -Bound $PSBoundParameters -Names @(${names})
}
`
}

/** The module text (a .psm1): the runtime, then one function per page; with `shims`, also
 * shims.ps1, for a script that imports the module itself (the lab run through the PowerShell
 * host) rather than running under driver.ps1. */
export function generateStubModule(file: PageFile = loadPages(), options: { readonly shims?: boolean } = {}): { readonly text: string; readonly cmdlets: readonly StubCmdlet[] } {
  const cmdlets = file.pages.map(stubOf)
  const runtime = readFileSync(join(import.meta.dirname, 'stub-runtime.ps1'), 'utf8')
  const header = `# Lync stub module: GENERATED by test/pwsh/stubs/generate.ts from ${file.repository} at ${file.commit}.
# Not Microsoft's module: the cmdlets' parameter sets only, delegating to cutover's lab emulator.
`
  // The runtime's Invoke-CutoverStub and JSON helper too: shims.ps1 and driver.ps1 call them.
  const exported = [...cmdlets.map((c) => c.name), 'Invoke-CutoverStub', 'ConvertTo-CutoverStubJson', ...(options.shims === true ? ['Invoke-CutoverShim'] : [])]
  const shims = options.shims === true ? [readFileSync(join(import.meta.dirname, 'shims.ps1'), 'utf8')] : []
  const text = [header, runtime, ...cmdlets.map(renderFunction), ...shims, `Export-ModuleMember -Function @(${exported.map((n) => `'${n}'`).join(', ')})\n`].join('\n')
  return { text, cmdlets }
}
