import type { Command, ParamValue } from '../core/command.js'
import type { Environment } from '../plan/types.js'

/**
 * Where a command runs and how it authenticates, and which third machines it reaches from there.
 * With `environment.remote`, every script runs in a remoting session on the Lync server; a
 * command there that reaches another machine (Invoke-Command to a legacy server, -DBInstance of a
 * SQL instance, a UNC share, Stop-CsWindowsService -ComputerName, Active Directory) is a second
 * hop, which Windows refuses unless the session was opened with CredSSP
 * (docs/microsoft-facts.md#facts-from-the-review, docs/security.md#remoting-and-the-second-hop). Pure: the preview and the readiness
 * check read the same answer.
 */
export interface Placement {
  /** The machine the cmdlet itself runs on. */
  readonly runsOn: string
  /** How it gets there: `this computer`, `PowerShell remoting (New-PSSession)`, `Invoke-Command`. */
  readonly via: string
  /** The authentication of the hop that brings it there. */
  readonly authentication: string
  /** The third machines the command reaches from where it runs, with what each is. */
  readonly reaches: readonly Reach[]
  /** Why Windows refuses it (a second hop without CredSSP); undefined when it can run. */
  readonly refused?: string
}

export interface Reach {
  readonly machine: string
  /** What the command does there: `SQL Server instance`, `file share`, `Windows services`, `Active Directory`. */
  readonly what: string
  /** Reached through WinRM (Invoke-Command): the machine must answer Test-WSMan. */
  readonly winrm: boolean
}

/** What Test-WSMan does on the machine it names: an unauthenticated WS-Management identify request. */
const ANONYMOUS_WINRM = 'WinRM identify, anonymous'

/** Where cutover runs when there is no environment.remote: the Lync server itself. */
export const HERE = 'this computer (the Lync server cutover runs on)'

/** The cmdlets that change Active Directory objects (a domain controller is a third machine). */
const AD_CMDLETS = ['Disable-CsUser', 'Enable-CsUser']

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

function strings(v: ParamValue): string[] {
  if (typeof v === 'string') return [v]
  if (Array.isArray(v)) return [...(v as readonly string[])]
  return []
}

/** The host of `\\host\share\...`, undefined for any other path. */
export function shareHost(path: string): string | undefined {
  const m = /^\\\\([^\\/]+)[\\/]/.exec(path)
  return m?.[1]
}

/** The machine of a SQL Server instance (`sql01.contoso.com\GC` -> `sql01.contoso.com`). */
export function instanceHost(instance: string): string {
  const cut = instance.indexOf('\\')
  return cut < 0 ? instance : instance.slice(0, cut)
}

/** The third machines a command reaches from where its cmdlet runs. */
export function reachesOf(cmd: Command): Reach[] {
  const out: Reach[] = []
  const add = (r: Reach) => {
    if (!out.some((o) => same(o.machine, r.machine) && o.what === r.what)) out.push(r)
  }
  if (cmd.computer !== undefined) add({ machine: cmd.computer, what: 'Invoke-Command', winrm: true })
  for (const [name, value] of cmd.params) {
    // Lowered once per parameter: the preview asks this of every command, 10,000 for a big plan.
    const param = name.toLowerCase()
    for (const text of strings(value)) {
      if (param === 'dbinstance') add({ machine: instanceHost(text), what: 'SQL Server instance', winrm: false })
      // Test-WSMan's identify request is anonymous: no credential, so no second hop to refuse.
      else if (param === 'computername') add({ machine: text, what: same(cmd.cmdlet, 'Test-WSMan') ? ANONYMOUS_WINRM : 'Windows services', winrm: false })
      else {
        const host = shareHost(text)
        if (host !== undefined) add({ machine: host, what: 'file share', winrm: false })
      }
    }
  }
  if (AD_CMDLETS.some((c) => same(c, cmd.cmdlet))) add({ machine: 'a domain controller', what: 'Active Directory', winrm: false })
  return out
}

/** The authentication the plan's remoting session uses, as the preview says it. */
export function sessionAuthentication(env: Environment): string {
  const r = env.remoting
  if (r?.authentication === 'credssp') return `CredSSP as ${r.credential?.user ?? '(no credential: validate refuses this)'}`
  return 'Kerberos'
}

/** Where `cmd` runs under `env` and how it authenticates. */
export function placementOf(cmd: Command, env: Environment): Placement {
  const reaches = reachesOf(cmd)
  const credssp = env.remoting?.authentication === 'credssp'
  if (env.remote === undefined) {
    // Every hop starts here: the first one, with the admin's own Kerberos ticket.
    if (cmd.computer !== undefined) return { runsOn: cmd.computer, via: `Invoke-Command from ${HERE}`, authentication: 'Kerberos', reaches: reaches.filter((r) => r.what !== 'Invoke-Command') }
    return { runsOn: HERE, via: 'the local PowerShell', authentication: 'the account running cutover', reaches }
  }
  const remote = env.remote
  const auth = sessionAuthentication(env)
  const hops = reaches.filter((r) => r.what !== ANONYMOUS_WINRM)
  if (cmd.computer !== undefined) {
    const nested = reaches.filter((r) => r.what !== 'Invoke-Command')
    return {
      runsOn: cmd.computer,
      via: `Invoke-Command from ${remote} (inside the remoting session)`,
      authentication: credssp ? `the CredSSP credential, delegated by ${remote}` : 'Kerberos, second hop',
      reaches: reaches,
      ...(credssp ? {} : { refused: `a second hop from ${remote} to ${cmd.computer}${nested.length > 0 ? ` and on to ${nested.map((r) => r.machine).join(', ')}` : ''}: Windows does not pass the credential on` }),
    }
  }
  return {
    runsOn: remote,
    via: 'PowerShell remoting (New-PSSession, Invoke-Command -FilePath)',
    authentication: auth,
    reaches,
    ...(credssp || hops.length === 0 ? {} : { refused: `a second hop from ${remote} to ${hops.map((r) => `${r.machine} (${r.what})`).join(', ')}: Windows does not pass the credential on` }),
  }
}

/** Whether `cmd` reaches no third machine, checked without building the list: then its placement
 * depends on its cmdlet and the environment alone. A command with a -DBInstance or -ComputerName,
 * a value that starts like a share path, an Active Directory cmdlet or a computer: false. */
function reachesNothing(cmd: Command): boolean {
  if (cmd.computer !== undefined || AD_CMDLETS.some((c) => same(c, cmd.cmdlet))) return false
  for (const [name, value] of cmd.params) {
    const texts = typeof value === 'string' ? [value] : Array.isArray(value) ? (value as readonly string[]) : []
    if (texts.length === 0) continue
    const param = name.toLowerCase()
    if (param === 'dbinstance' || param === 'computername' || texts.some((t) => t.startsWith('\\\\'))) return false
  }
  return true
}

// The line of a command that reaches nothing, per environment and cmdlet: a big plan's preview
// places 12,000 mapping commands, all alike.
const plainLines = new WeakMap<Environment, Map<string, string>>()

/** One line for the preview: `runs on X via Y (auth)`, what it reaches, and why it would be refused. */
export function describePlacement(cmd: Command, env: Environment): string {
  if (!reachesNothing(cmd)) return placementLine(cmd, env)
  let lines = plainLines.get(env)
  if (lines === undefined) plainLines.set(env, (lines = new Map()))
  let line = lines.get(cmd.cmdlet)
  if (line === undefined) lines.set(cmd.cmdlet, (line = placementLine(cmd, env)))
  return line
}

/** The line of describePlacement, worked out in full (it remembers it for a command that reaches
 * nothing). */
export function placementLine(cmd: Command, env: Environment): string {
  const p = placementOf(cmd, env)
  const reaches = p.reaches.filter((r) => r.what !== 'Invoke-Command')
  const to = reaches.length === 0 ? '' : `; reaches ${reaches.map((r) => `${r.machine} (${r.what})`).join(', ')}`
  const refused = p.refused === undefined ? '' : `; REFUSED: ${p.refused} (set environment.remoting.authentication: credssp, or run cutover on ${env.remote ?? 'the Lync server'})`
  return `${cmd.cmdlet} runs on ${p.runsOn} via ${p.via} (${p.authentication})${to}${refused}`
}

/** The machines the plan's remoting reaches through WinRM for these commands: the Lync server of
 * environment.remote and every Invoke-Command target. Each must answer Test-WSMan. */
export function winrmMachines(commands: readonly Command[], env: Environment): string[] {
  const out: string[] = []
  const add = (m: string) => {
    if (!out.some((o) => same(o, m))) out.push(m)
  }
  if (env.remote !== undefined) add(env.remote)
  for (const c of commands) for (const r of reachesOf(c)) if (r.winrm) add(r.machine)
  return out
}
