import { decommissionEntries } from '../decommission.js'
import { defineStep, makeStep } from '../define.js'

export type UninstallGroupChatInput = { readonly servers: readonly string[] }

/** What the admin does on the legacy servers, since no cmdlet uninstalls Group Chat. */
export function uninstallInstructions(servers: readonly string[]): string {
  return `On ${servers.join(', ')}: uninstall Lync Server 2010 Group Chat (or OCS 2007 R2 Group Chat) in Programs and Features, then confirm with cutover approve.`
}

/**
 * Uninstalling Group Chat is an uninstall on each legacy server (Programs and Features), which
 * no documented cmdlet does: cutover tells the admin exactly what to do and waits for approval.
 * Once done, there is no legacy deployment to roll back to.
 */
export const uninstallGroupChatKind = defineStep<'uninstall-groupchat', UninstallGroupChatInput>({
  kind: 'uninstall-groupchat',
  traits: { idempotent: false, manual: true, irreversible: true },
  fromPlan: (plan) => decommissionEntries(plan, 'uninstall-groupchat', (d, id) =>
    makeStep('uninstall-groupchat', id, 'post', `Uninstall Group Chat from ${d.servers.join(', ')}`, { servers: [...d.servers] })),
  preview: (step) => [{ type: 'manual', instructions: uninstallInstructions(step.input.servers) }],
  run: () => Promise.reject(new Error('a manual step is approved, never run')),
})
