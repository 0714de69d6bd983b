import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { JsonObject } from '../../core/json.js'
import { stepId } from '../../core/step.js'
import type { StepId } from '../../core/step.js'
import { writeArtifact } from '../artifacts.js'
import { defineStep, makeStep } from '../define.js'
import type { RunContext, StepOutput } from '../define.js'
import { fixedMinutes } from '../forecasts.js'
import { runCommands } from '../run-commands.js'

export type LookupAccountInput = { readonly sipAddress: string }

/** The step that frees the Lookup Server account's SIP URI. */
export function lookupAccountId(): StepId<'lookup-account'> {
  return stepId('lookup-account', 'cutover.lookup-account')
}

const accountArtifact = (id: StepId) => `accounts/${id}.json`

async function readSaved(ctx: RunContext, id: StepId): Promise<JsonObject | undefined> {
  try {
    return JSON.parse(await readFile(join(ctx.artifactsDir, accountArtifact(id)), 'utf8')) as JsonObject
  } catch {
    return undefined
  }
}

async function getUser(ctx: RunContext, id: StepId, sip: string): Promise<{ enabled: boolean; dn?: string; pool?: string } | undefined> {
  try {
    const [r] = await runCommands(ctx, id, [{ cmdlet: 'Get-CsUser', params: [['Identity', sip]] }])
    const d = r?.data ?? {}
    return { enabled: d.Enabled !== false, ...(typeof d.DistinguishedName === 'string' ? { dn: d.DistinguishedName } : {}), ...(typeof d.RegistrarPool === 'string' ? { pool: d.RegistrarPool } : {}) }
  } catch {
    return undefined
  }
}

/**
 * Frees the legacy Lookup Server account's SIP URI for the new endpoint (docs/microsoft-facts.md#the-documented-order-of-the-cutover, step 8).
 * Microsoft says to delete the account; cutover disables it for Lync (Disable-CsUser), which
 * frees the address and can be undone by rollback, and records what Enable-CsUser needs.
 */
export const lookupAccountKind = defineStep<'lookup-account', LookupAccountInput>({
  kind: 'lookup-account',
  traits: { idempotent: true },
  fromPlan: (plan) => plan.legacyClients === undefined ? [] : [{
    slot: 'lookup-account',
    step: makeStep('lookup-account', lookupAccountId(), 'cutover', `Disable the Lookup Server account ${plan.legacyClients.endpoint}`, { sipAddress: plan.legacyClients.endpoint }),
  }],
  forecast: () => fixedMinutes(1),
  preview(step) {
    const sip = step.input.sipAddress
    return [{ type: 'commands', commands: [{ cmdlet: 'Get-CsUser', params: [['Identity', sip]] }, { cmdlet: 'Disable-CsUser', params: [['Identity', sip]] }] }]
  },
  async run(step, ctx): Promise<StepOutput> {
    const sip = step.input.sipAddress
    const user = await getUser(ctx, step.id, sip)
    if (user === undefined || !user.enabled) {
      ctx.log(`${sip} is not an enabled Lync user: nothing to disable`)
      return { outputs: { disabled: false } }
    }
    const before = { disabled: true, distinguishedName: user.dn ?? null, registrarPool: user.pool ?? null }
    // Written before the account is disabled: a crash right after Disable-CsUser settles this step
    // by its check, with no outputs, and rollback still needs what Enable-CsUser takes.
    await writeArtifact(ctx, accountArtifact(step.id), before)
    await runCommands(ctx, step.id, [{ cmdlet: 'Disable-CsUser', params: [['Identity', sip]] }])
    return { outputs: before }
  },
  async check(step, ctx) {
    const user = await getUser(ctx, step.id, step.input.sipAddress)
    return user === undefined || !user.enabled
  },
  async undo(step, ctx, outputs) {
    const sip = step.input.sipAddress
    const saved = outputs?.disabled === true ? outputs : await readSaved(ctx, step.id)
    if (saved?.disabled !== true) return
    if (typeof saved.distinguishedName !== 'string' || typeof saved.registrarPool !== 'string') {
      throw new Error(`cannot re-enable ${sip}: its distinguished name and registrar pool were not recorded; enable it by hand (Enable-CsUser)`)
    }
    await runCommands(ctx, step.id, [{ cmdlet: 'Enable-CsUser', params: [['Identity', saved.distinguishedName], ['RegistrarPool', saved.registrarPool], ['SipAddress', sip]] }])
  },
})
