/** The lab emulator's topology: trusted application pools (the legacy Group Chat pool is one)
 * and publishing (Enable-CsTopology). State lives in lab.json. */
import type { CmdletContext } from '../cmdlet.js'
import { LabCommandError } from '../errors.js'
import { bind } from '../params.js'
import { say } from '../result.js'
import type { LabResult } from '../result.js'
import { readWorld, sameName, updateWorld } from '../world.js'
import type { LabTrustedApplicationPool } from '../world.js'

/** `TrustedApplicationPool:gcpool.contoso.com` or just the FQDN. */
function poolFqdn(identity: string): string {
  return identity.replace(/^TrustedApplicationPool:/i, '')
}

function poolData(p: LabTrustedApplicationPool): Record<string, unknown> {
  return { Identity: `TrustedApplicationPool:${p.fqdn}`, Registrar: `Registrar:${p.registrar}`, Applications: p.applications.map((a) => a.applicationId) }
}

export async function getTrustedApplicationPool(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, { Identity: { kind: 'string' } } as const)
  const pools = readWorld(ctx.labDir).trustedApplicationPools.filter((x) => p.Identity === undefined || sameName(x.fqdn, poolFqdn(p.Identity)))
  if (p.Identity !== undefined && pools.length === 0) throw new LabCommandError(ctx.cmdlet, `Management object not found for identity "${p.Identity}".`)
  return { output: pools.map((x) => say(`trusted application pool ${x.fqdn} (${x.applications.length} application(s))`)), data: { pools: pools.map(poolData) } }
}

export async function removeTrustedApplicationPool(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, { Identity: { kind: 'string', mandatory: true }, Force: { kind: 'switch' } } as const)
  const pool = readWorld(ctx.labDir).trustedApplicationPools.find((x) => sameName(x.fqdn, poolFqdn(p.Identity)))
  if (pool === undefined) throw new LabCommandError(ctx.cmdlet, `Management object not found for identity "${p.Identity}".`)
  await updateWorld(ctx.labDir, (w) => ({
    ...w,
    trustedApplicationPools: w.trustedApplicationPools.filter((x) => x.fqdn !== pool.fqdn),
    topology: { ...w.topology, unpublishedChanges: w.topology.unpublishedChanges + 1 },
  }))
  return { output: [say(`removed trusted application pool ${pool.fqdn} and its ${pool.applications.length} trusted application(s); publish the topology (Enable-CsTopology)`)], data: poolData(pool) }
}

export async function enableTopology(ctx: CmdletContext): Promise<LabResult> {
  bind(ctx.command, {})
  const next = await updateWorld(ctx.labDir, (w) => ({ ...w, topology: { publishCount: w.topology.publishCount + 1, unpublishedChanges: 0 } }))
  return { output: [say(`topology published (publication ${next.topology.publishCount})`)], data: { ...next.topology } }
}
