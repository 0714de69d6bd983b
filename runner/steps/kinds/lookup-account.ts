import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { JsonObject } from '../../core/json.js'
import { stepId } from '../../core/step.js'
import type { Step, StepId } from '../../core/step.js'
import type { Plan } from '../../plan/types.js'
import { writeArtifact } from '../artifacts.js'
import { defineStep, makeStep } from '../define.js'
import type { RunContext } from '../define.js'
import { fixedMinutes } from '../forecasts.js'
import type { Placed } from '../order.js'
import { runCommands } from '../run-commands.js'

/** `sources`: the plan's sources whose Lookup Server account this is (several may share one). */
export type LookupAccountInput = { readonly sipAddress: string; readonly sources: readonly string[] }

/** The step that frees the Lookup Server account's SIP URI the legacy-client endpoint takes over;
 * with `source`, the step that retires another source's own Lookup Server account. */
export function lookupAccountId(source?: string): StepId<'lookup-account'> {
  return stepId('lookup-account', source === undefined ? 'cutover.lookup-account' : `cutover.lookup-account.${source}`)
}

const accountArtifact = (id: StepId) => `accounts/${id}.json`

/**
 * What Get-CsUser says when no Lync-enabled user has that identity ("Management object not found
 * for identity ..."): the only failure that means the account is already gone. Anything else (an
 * access denied, a broken session, a missing module) fails the step (docs/microsoft-facts.md#facts-from-the-review).
 */
const NOT_FOUND = /Management object not found for identity/i

/** Whether an error is Get-CsUser's "not found" and nothing else. */
export function isNotFound(e: unknown): boolean {
  return e instanceof Error && NOT_FOUND.test(e.message)
}

async function readSaved(ctx: RunContext, id: StepId): Promise<JsonObject | undefined> {
  try {
    return JSON.parse(await readFile(join(ctx.artifactsDir, accountArtifact(id)), 'utf8')) as JsonObject
  } catch {
    return undefined
  }
}

type Lookup = { readonly found: false } | { readonly found: true; readonly enabled: boolean; readonly dn?: string; readonly pool?: string }

async function getUser(ctx: RunContext, id: StepId, sip: string): Promise<Lookup> {
  let results
  try {
    results = await runCommands(ctx, id, [{ cmdlet: 'Get-CsUser', params: [['Identity', sip]] }])
  } catch (e) {
    if (isNotFound(e)) return { found: false }
    throw e
  }
  const d = results[0]?.data ?? {}
  // No error and no user is not proof either: only "not found" is.
  if (typeof d.SipAddress !== 'string') throw new Error(`Get-CsUser -Identity ${sip} returned no user and no "not found" error; check the Lync session and permissions, then apply again`)
  return { found: true, enabled: d.Enabled !== false, ...(typeof d.DistinguishedName === 'string' ? { dn: d.DistinguishedName } : {}), ...(typeof d.RegistrarPool === 'string' ? { pool: d.RegistrarPool } : {}) }
}

/** One step per distinct Lookup Server account of the plan's sources: first the one the endpoint
 * takes over (legacyClients.endpoint), then each other source's own, in the plan's order. */
function lookupSteps(plan: Plan): Placed<Step<'lookup-account', LookupAccountInput>>[] {
  if (plan.legacyClients === undefined) return []
  const endpoint = plan.legacyClients.endpoint
  const key = (sip: string) => sip.toLowerCase()
  const accounts: { sip: string; sources: string[] }[] = [{ sip: endpoint, sources: [] }]
  for (const s of plan.sources) {
    const same = accounts.find((a) => key(a.sip) === key(s.lookupAccount))
    if (same !== undefined) same.sources.push(s.id)
    else accounts.push({ sip: s.lookupAccount, sources: [s.id] })
  }
  return accounts.map((a, seq) => {
    const main = seq === 0
    const first = a.sources[0]
    const id = main || first === undefined ? lookupAccountId() : lookupAccountId(first)
    const title = main ? `Disable the Lookup Server account ${a.sip}` : `Disable the Lookup Server account ${a.sip} of ${a.sources.join(', ')}`
    return { slot: 'lookup-account', seq, step: makeStep('lookup-account', id, 'cutover', title, { sipAddress: a.sip, sources: a.sources }) }
  })
}

/**
 * Frees the legacy Lookup Server accounts' SIP URIs (docs/microsoft-facts.md#the-documented-order-of-the-cutover, step 8): the one the
 * new endpoint takes over, and every other source's own. Microsoft says to delete the account;
 * cutover disables it for Lync (Disable-CsUser), which frees the address, keeps the AD object
 * and can be undone by rollback (Enable-CsUser): deleting an AD object cannot.
 */
export const lookupAccountKind = defineStep<'lookup-account', LookupAccountInput>({
  kind: 'lookup-account',
  traits: { idempotent: true },
  fromPlan: lookupSteps,
  forecast: () => fixedMinutes(1),
  preview(step) {
    const sip = step.input.sipAddress
    return [{ type: 'commands', commands: [{ cmdlet: 'Get-CsUser', params: [['Identity', sip]] }, { cmdlet: 'Disable-CsUser', params: [['Identity', sip]] }] }]
  },
  async run(step, ctx) {
    const sip = step.input.sipAddress
    const user = await getUser(ctx, step.id, sip)
    if (!user.found || !user.enabled) {
      ctx.log(`Get-CsUser finds no enabled Lync user ${sip}: nothing to disable`)
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
    return !user.found || !user.enabled
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
