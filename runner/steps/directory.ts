import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Command } from '../core/command.js'
import { writeArtifact } from './artifacts.js'
import type { JsonObject } from '../core/json.js'
import { inputOf } from './kind.js'
import type { RunContext, StepKind, StepOutput } from './kind.js'
import { runCommands } from './run-commands.js'

interface LookupInput { readonly sipAddress: string }

const accountArtifact = (stepId: string) => `accounts/${stepId}.json`

async function readSaved(ctx: RunContext): Promise<JsonObject | undefined> {
  try {
    return JSON.parse(await readFile(join(ctx.artifactsDir, accountArtifact(ctx.step.id)), 'utf8')) as JsonObject
  } catch {
    return undefined
  }
}
interface EndpointInput { readonly sipAddress: string; readonly pool: string; readonly displayName: string }

async function getUser(ctx: RunContext, sip: string): Promise<{ enabled: boolean; dn?: string; pool?: string } | undefined> {
  try {
    const [r] = await runCommands(ctx, [{ cmdlet: 'Get-CsUser', params: [['Identity', sip]] }])
    const d = r?.data ?? {}
    return { enabled: d.Enabled !== false, ...(typeof d.DistinguishedName === 'string' ? { dn: d.DistinguishedName } : {}), ...(typeof d.RegistrarPool === 'string' ? { pool: d.RegistrarPool } : {}) }
  } catch {
    return undefined
  }
}

/**
 * Frees the legacy Lookup Server account's SIP URI for the new endpoint (LYNC.md step 8).
 * Microsoft says to delete the account; cutover disables it for Lync (Disable-CsUser), which
 * frees the address and can be undone by rollback, and records what Enable-CsUser needs.
 */
export const lookupAccountKind: StepKind = {
  kind: 'lookup-account',
  idempotent: true,
  render: (step) => {
    const sip = inputOf<LookupInput>(step).sipAddress
    return [{ type: 'commands', commands: [{ cmdlet: 'Get-CsUser', params: [['Identity', sip]] }, { cmdlet: 'Disable-CsUser', params: [['Identity', sip]] }] }]
  },
  async run(ctx): Promise<StepOutput> {
    const sip = inputOf<LookupInput>(ctx.step).sipAddress
    const user = await getUser(ctx, sip)
    if (user === undefined || !user.enabled) {
      ctx.log(`${sip} is not an enabled Lync user: nothing to disable`)
      return { outputs: { disabled: false } }
    }
    const before = { disabled: true, distinguishedName: user.dn ?? null, registrarPool: user.pool ?? null }
    // Written before the account is disabled: a crash right after Disable-CsUser settles this step
    // by its check, with no outputs, and rollback still needs what Enable-CsUser takes.
    await writeArtifact(ctx, accountArtifact(ctx.step.id), before)
    await runCommands(ctx, [{ cmdlet: 'Disable-CsUser', params: [['Identity', sip]] }])
    return { outputs: before }
  },
  async check(ctx) {
    const user = await getUser(ctx, inputOf<LookupInput>(ctx.step).sipAddress)
    return user === undefined || !user.enabled
  },
  async undo(ctx, outputs: JsonObject | undefined) {
    const saved = outputs?.disabled === true ? outputs : await readSaved(ctx)
    if (saved?.disabled !== true) return
    if (typeof saved.distinguishedName !== 'string' || typeof saved.registrarPool !== 'string') {
      throw new Error(`cannot re-enable ${inputOf<LookupInput>(ctx.step).sipAddress}: its distinguished name and registrar pool were not recorded; enable it by hand (Enable-CsUser)`)
    }
    await runCommands(ctx, [{ cmdlet: 'Enable-CsUser', params: [['Identity', saved.distinguishedName], ['RegistrarPool', saved.registrarPool], ['SipAddress', inputOf<LookupInput>(ctx.step).sipAddress]] }])
  },
}

const newEndpoint = (i: EndpointInput): Command => ({
  cmdlet: 'New-CsPersistentChatEndpoint',
  params: [['SipAddress', i.sipAddress], ['PersistentChatPoolFqdn', i.pool], ['DisplayName', i.displayName]],
})

async function endpointExists(ctx: RunContext, sip: string): Promise<boolean> {
  const [r] = await runCommands(ctx, [{ cmdlet: 'Get-CsPersistentChatEndpoint', params: [] }])
  const list = r?.data?.endpoints
  return Array.isArray(list) && list.some((e: unknown) => typeof e === 'object' && e !== null && String((e as Record<string, unknown>).SipAddress).toLowerCase() === sip.toLowerCase())
}

/** The Persistent Chat endpoint with the legacy lookup URI, so legacy clients keep connecting
 * (LYNC.md, [BC]). */
export const endpointKind: StepKind = {
  kind: 'endpoint',
  idempotent: false,
  render: (step) => [{ type: 'commands', commands: [newEndpoint(inputOf<EndpointInput>(step))] }],
  async run(ctx) {
    await runCommands(ctx, [newEndpoint(inputOf<EndpointInput>(ctx.step))])
    return {}
  },
  check: (ctx) => endpointExists(ctx, inputOf<EndpointInput>(ctx.step).sipAddress),
  async undo(ctx) {
    const sip = inputOf<EndpointInput>(ctx.step).sipAddress
    if (await endpointExists(ctx, sip)) await runCommands(ctx, [{ cmdlet: 'Remove-CsPersistentChatEndpoint', params: [['Identity', sip]] }])
  },
}
