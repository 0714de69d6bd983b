import { legacyServices, targetServices } from '../plan/defaults.js'
import { splitPath } from '../plan/names.js'
import type { Plan } from '../plan/types.js'
import type { JsonObject } from '../core/json.js'
import type { Phase, Step } from '../steps/kind.js'
import { fingerprint } from '../core/hash.js'

/** Joins a file name to the plan's workDir with the separator of the shell that will read it. */
export function workPath(plan: Plan, file: string): string {
  const dir = plan.environment.workDir
  const sep = plan.environment.shell === 'lab' ? '/' : '\\'
  return dir.endsWith(sep) ? `${dir}${file}` : `${dir}${sep}${file}`
}

/** The SIP domain of an address (`sip:ocschat@contoso.com` → `contoso.com`): the source's own users. */
export function sipDomainOf(sip: string): string {
  return sip.slice(sip.lastIndexOf('@') + 1).toLowerCase()
}

function step(kind: string, id: string, phase: Phase, title: string, input: JsonObject): Step {
  return { id, kind, phase, title, input, fingerprint: fingerprint(kind, input) }
}

/**
 * The plan as the ordered list of steps that `apply` runs and `plan` previews (DESIGN.md, "From
 * plan to steps"; LYNC.md, "Documented order of the cutover"). Pure: same plan, same steps.
 */
export function compile(plan: Plan): Step[] {
  const steps: Step[] = []
  const cutoff = plan.rooms.cutoff ?? null

  // Preflight: read-only, any time.
  for (const s of plan.sources) {
    steps.push(step('inventory', `preflight.inventory.${s.id}`, 'preflight', `Take the inventory of ${s.id} (${s.pool})`, { source: s.id, cutoff, purpose: 'preflight', sipDomain: sipDomainOf(s.lookupAccount) }))
  }
  steps.push(step('check-target', 'preflight.target', 'preflight', `Check the Persistent Chat store of ${plan.target.pool}`, { pool: plan.target.pool }))
  steps.push(step('lint', 'preflight.lint', 'preflight', 'Check the inventories for what Import will stumble on', { inventorySteps: plan.sources.map((s) => `preflight.inventory.${s.id}`), targetStep: 'preflight.target' }))

  // Prepare: harmless, before the window.
  steps.push(step('workdir', 'prepare.workdir', 'prepare', `Create the work folder ${plan.environment.workDir}`, { path: plan.environment.workDir }))

  // Cutover: inside the window, in Microsoft's documented order.
  plan.sources.forEach((s, index) => {
    steps.push(step('stop-legacy', `cutover.stop-legacy.${s.id}`, 'cutover', `Stop Group Chat on ${s.servers.join(', ')} (downtime starts)`, { source: s.id, servers: [...s.servers], services: [...legacyServices(s)] }))
    steps.push(step('backup', `cutover.backup-legacy.${s.id}`, 'cutover', `Back up the legacy store ${s.database.name}`, { store: { kind: 'source', id: s.id }, label: `legacy-${s.id}` }))
    steps.push(step('inventory', `cutover.inventory.${s.id}`, 'cutover', `Freeze the inventory of ${s.id} (what verification expects)`, { source: s.id, cutoff, purpose: 'freeze', sipDomain: sipDomainOf(s.lookupAccount) }))
    const excluded = plan.rooms.categories.filter((c) => c.source === s.id && !c.export).map((c) => splitPath(c.from) ?? [c.from])
    steps.push(step('export', `cutover.export.${s.id}`, 'cutover', `Export ${s.id} with Export-CsPersistentChatData`, {
      source: s.id, dbInstance: s.database.instance, dbName: s.database.name,
      file: workPath(plan, `export-${s.id}.zip`), report: workPath(plan, `export-${s.id}.html`),
      startDate: cutoff, excludeCategories: excluded, inventoryStep: `cutover.inventory.${s.id}`,
    }))
    if (index === 0) {
      steps.push(step('target-services', 'cutover.stop-target', 'cutover', `Stop Persistent Chat on ${plan.target.servers.join(', ')}`, { action: 'stop', servers: [...plan.target.servers], services: [...targetServices(plan.target)] }))
    }
    steps.push(step('backup', `cutover.backup-target.${s.id}`, 'cutover', `Back up the Persistent Chat store before importing ${s.id}`, { store: { kind: 'target' }, label: `target-before-${s.id}` }))
    const importInput = { source: s.id, dbInstance: plan.target.database.instance, file: workPath(plan, `export-${s.id}.zip`), exportStep: `cutover.export.${s.id}` }
    steps.push(step('import', `cutover.import-whatif.${s.id}`, 'cutover', `Import ${s.id} with -WhatIf (errors stop the run)`, { ...importInput, whatIf: true, report: workPath(plan, `import-whatif-${s.id}.html`) }))
    steps.push(step('import', `cutover.import.${s.id}`, 'cutover', `Import ${s.id} into ${plan.target.pool}`, { ...importInput, whatIf: false, report: workPath(plan, `import-${s.id}.html`), backupStep: `cutover.backup-target.${s.id}` }))
    if (s.fileStore !== undefined && plan.target.fileStore !== undefined) {
      steps.push(step('filestore', `cutover.filestore.${s.id}`, 'cutover', `Copy the file store of ${s.id}`, { from: s.fileStore, to: plan.target.fileStore, shell: plan.environment.shell }))
    }
  })
  steps.push(step('mappings', 'cutover.mappings', 'cutover', 'Apply the room and category mappings', {
    pool: plan.target.pool,
    unmapped: plan.rooms.unmapped,
    categories: plan.rooms.categories.filter((c) => c.export && c.to !== undefined).map((c) => ({ source: c.source, from: splitPath(c.from) ?? [c.from], to: c.to ?? null })),
    rooms: plan.rooms.map.map((r) => ({
      source: r.source, room: splitPath(r.room) ?? [r.room], action: r.action,
      rename: r.rename ?? null, category: r.category ?? null, privacy: r.privacy ?? null,
      disabled: r.disabled ?? null, description: r.description ?? null,
    })),
    inventorySteps: plan.sources.map((s) => `cutover.inventory.${s.id}`),
  }))
  if (plan.legacyClients !== undefined) {
    steps.push(step('lookup-account', 'cutover.lookup-account', 'cutover', `Disable the Lookup Server account ${plan.legacyClients.endpoint}`, { sipAddress: plan.legacyClients.endpoint }))
    steps.push(step('endpoint', 'cutover.endpoint', 'cutover', `Create the legacy-client endpoint ${plan.legacyClients.endpoint}`, { sipAddress: plan.legacyClients.endpoint, pool: plan.target.pool, displayName: plan.legacyClients.displayName }))
  }
  steps.push(step('target-services', 'cutover.start-target', 'cutover', `Start Persistent Chat on ${plan.target.servers.join(', ')}`, { action: 'start', servers: [...plan.target.servers], services: [...targetServices(plan.target)] }))
  steps.push(step('verify', 'cutover.verify', 'cutover', 'Verify categories, rooms, members and messages', { inventorySteps: plan.sources.map((s) => `cutover.inventory.${s.id}`), mappingsStep: 'cutover.mappings' }))

  // Post: after a verified cutover.
  if (plan.clients !== undefined) {
    steps.push(step('enable-clients', 'post.enable-clients', 'post', `Enable Persistent Chat in policy ${plan.clients.enablePolicy}`, { policy: plan.clients.enablePolicy }))
  }
  plan.decommission.forEach((d, i) => {
    const n = i + 1
    if ('uninstall-groupchat' in d) steps.push(step('uninstall-groupchat', `decommission.${n}.uninstall-groupchat`, 'post', `Uninstall Group Chat from ${d['uninstall-groupchat'].servers.join(', ')}`, { servers: [...d['uninstall-groupchat'].servers] }))
    else if ('remove-trusted-application' in d) steps.push(step('remove-trusted-application', `decommission.${n}.remove-trusted-application`, 'post', `Remove the trusted application pool ${d['remove-trusted-application'].pool} and publish the topology`, { pool: d['remove-trusted-application'].pool }))
    else if ('manual' in d) steps.push(step('manual', `decommission.${n}.manual`, 'post', d.manual.title, { title: d.manual.title, instructions: d.manual.instructions }))
    else steps.push(step('powershell', `decommission.${n}.powershell`, 'post', d.powershell.title, { title: d.powershell.title, script: d.powershell.script }))
  })
  steps.push(step('report', 'post.report', 'post', 'Write the run report', { name: plan.name }))
  return steps
}
