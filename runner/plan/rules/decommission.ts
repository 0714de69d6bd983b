import type { Rule } from './rule.js'

/**
 * Microsoft's order ("Migration process - details", steps 11 and 12): Group Chat is uninstalled
 * from the legacy servers before the legacy trusted application and its pool are removed.
 * Removing the pool first also removes its computers from the topology
 * (Remove-CsTrustedApplicationPool) while Group Chat still runs on them.
 */
export const decommissionOrder: Rule = {
  id: 'decommission-order',
  describe: 'uninstall-groupchat entries come before remove-trusted-application entries',
  check({ plan, report, lineOf }) {
    const firstRemove = plan.decommission.findIndex((d) => 'remove-trusted-application' in d)
    if (firstRemove < 0) return
    plan.decommission.forEach((d, i) => {
      if (i < firstRemove || !('uninstall-groupchat' in d)) return
      report({ path: ['decommission', i], severity: 'error', message: `decommission entry ${i + 1} uninstalls Group Chat after the trusted application is removed (entry ${firstRemove + 1}, line ${lineOf(['decommission', firstRemove])}); Microsoft uninstalls Group Chat first (step 11), then removes the trusted application and pool (step 12): move this entry above it` })
    })
  },
}
