import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Command } from '../../core/command.js'
import type { JsonObject } from '../../core/json.js'
import { stepId } from '../../core/step.js'
import type { StepId } from '../../core/step.js'
import { writeArtifact } from '../artifacts.js'
import { defineStep, makeStep } from '../define.js'
import type { RunContext } from '../define.js'
import { runCommands } from '../run-commands.js'

export type EnableClientsInput = { readonly policy: string }

/** The step that enables Persistent Chat in the clients' policy. */
export function enableClientsId(): StepId<'enable-clients'> {
  return stepId('enable-clients', 'post.enable-clients')
}

const readCommand = (i: EnableClientsInput): Command => ({ cmdlet: 'Get-CsPersistentChatPolicy', params: [['Identity', i.policy]] })
const policyCommand = (i: EnableClientsInput, enable: boolean): Command =>
  ({ cmdlet: 'Set-CsPersistentChatPolicy', params: [['Identity', i.policy], ['EnablePersistentChat', { bool: enable }]] })

const beforeArtifact = (id: StepId) => `policies/${id}.json`

async function readSaved(ctx: RunContext, id: StepId): Promise<JsonObject | undefined> {
  try {
    return JSON.parse(await readFile(join(ctx.artifactsDir, beforeArtifact(id)), 'utf8')) as JsonObject
  } catch {
    return undefined
  }
}

/** The policy's EnablePersistentChat as Get-CsPersistentChatPolicy returned it. */
async function currentValue(ctx: RunContext, id: StepId, i: EnableClientsInput): Promise<boolean> {
  const [r] = await runCommands(ctx, id, [readCommand(i)])
  const policies = Array.isArray(r?.data?.policies) ? (r.data.policies as unknown[]) : []
  const found = policies.find((p): p is { EnablePersistentChat: boolean } => typeof p === 'object' && p !== null && typeof (p as { EnablePersistentChat?: unknown }).EnablePersistentChat === 'boolean')
  if (found === undefined) throw new Error(`Get-CsPersistentChatPolicy -Identity ${i.policy} returned no EnablePersistentChat value; check the policy exists (Get-CsPersistentChatPolicy), then apply again`)
  return found.EnablePersistentChat
}

/** Enables the new clients: a Persistent Chat policy with EnablePersistentChat true (docs/microsoft-facts.md#the-documented-order-of-the-cutover,
 * step 13, after the decommission). It records the value it found first, and rollback puts that value back. */
export const enableClientsKind = defineStep<'enable-clients', EnableClientsInput>({
  kind: 'enable-clients',
  traits: { idempotent: true },
  fromPlan: (plan) => plan.clients === undefined ? [] : [{
    slot: 'enable-clients',
    step: makeStep('enable-clients', enableClientsId(), 'post', `Enable Persistent Chat in policy ${plan.clients.enablePolicy}`, { policy: plan.clients.enablePolicy }),
  }],
  preview: (step) => [{ type: 'commands', commands: [readCommand(step.input), policyCommand(step.input, true)] }],
  async run(step, ctx) {
    // The value of the first attempt is kept: after a crash past the Set, the policy reads true.
    const saved = await readSaved(ctx, step.id)
    const before = typeof saved?.before === 'boolean' ? saved.before : await currentValue(ctx, step.id, step.input)
    if (saved === undefined) await writeArtifact(ctx, beforeArtifact(step.id), { before })
    await runCommands(ctx, step.id, [policyCommand(step.input, true)])
    return { outputs: { before } }
  },
  async undo(step, ctx, outputs) {
    const saved = typeof outputs?.before === 'boolean' ? outputs : await readSaved(ctx, step.id)
    if (typeof saved?.before !== 'boolean') throw new Error(`cannot restore policy ${step.input.policy}: the EnablePersistentChat value it had was not recorded; set it by hand (Set-CsPersistentChatPolicy -Identity ${step.input.policy} -EnablePersistentChat $false or $true)`)
    await runCommands(ctx, step.id, [policyCommand(step.input, saved.before)])
    // Restored: a later apply reads the value afresh.
    await rm(join(ctx.artifactsDir, beforeArtifact(step.id)), { force: true })
  },
})
