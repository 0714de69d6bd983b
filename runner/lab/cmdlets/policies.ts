/** The lab emulator's Persistent Chat policies (Get-/Set-CsPersistentChatPolicy), in lab.json. */
import type { CmdletContext } from '../cmdlet.js'
import { LabCommandError } from '../errors.js'
import { bind } from '../params.js'
import { say } from '../result.js'
import type { LabResult } from '../result.js'
import { readWorld, sameName, updateWorld } from '../world.js'
import type { LabPolicy } from '../world.js'

function policyData(p: LabPolicy): Record<string, unknown> {
  return { Identity: p.identity, EnablePersistentChat: p.enablePersistentChat }
}

export async function setPersistentChatPolicy(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, { Identity: { kind: 'string', mandatory: true }, EnablePersistentChat: { kind: 'bool' } } as const)
  const policy = readWorld(ctx.labDir).policies.find((x) => sameName(x.identity, p.Identity))
  if (policy === undefined) throw new LabCommandError(ctx.cmdlet, `Management object not found for identity "${p.Identity}".`)
  const next = { ...policy, enablePersistentChat: p.EnablePersistentChat ?? policy.enablePersistentChat }
  await updateWorld(ctx.labDir, (w) => ({ ...w, policies: w.policies.map((x) => (x.identity === policy.identity ? next : x)) }))
  return { output: [say(`policy ${next.identity}: EnablePersistentChat ${next.enablePersistentChat}`)], data: policyData(next) }
}

export async function getPersistentChatPolicy(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, { Identity: { kind: 'string' } } as const)
  const policies = readWorld(ctx.labDir).policies.filter((x) => p.Identity === undefined || sameName(x.identity, p.Identity))
  if (p.Identity !== undefined && policies.length === 0) throw new LabCommandError(ctx.cmdlet, `Management object not found for identity "${p.Identity}".`)
  return { output: policies.map((x) => say(`policy ${x.identity}: EnablePersistentChat ${x.enablePersistentChat}`)), data: { policies: policies.map(policyData) } }
}
