import { posix } from 'node:path'
import type { StoreFacts } from '../../init/facts.js'
import { LAB_NAMES } from '../../lab/lab-names.js'
import type { LabWorld } from '../../lab/world.js'
import type { Product } from '../../plan/types.js'

/** Everything the lab emulator's world says, with paths relative to the plan (`workDir` is the lab
 * folder seen from the plan's folder), so that the plan runs on the lab as written. */
export function labFacts(world: LabWorld, id: string, product: Product, workDir: string): StoreFacts {
  const legacy = world.pools.find((p) => p.kind === 'groupchat')
  const pchat = world.pools.find((p) => p.kind === 'persistentchat')
  const legacyDb = world.databases.find((d) => d.kind === 'legacy')
  const pchatDb = world.databases.find((d) => d.kind === 'pchat')
  const servicesOf = (servers: readonly string[] | undefined) => {
    const names = world.servers.filter((s) => servers?.includes(s.fqdn) === true).flatMap((s) => s.services.map((v) => v.name))
    return names.length === 0 ? undefined : [...new Set(names)]
  }
  // The lab's world does not say which user is the Lookup Server account; its fixed names do.
  const lookup = world.users.find((u) => u.sipAddress.toLowerCase() === LAB_NAMES.lookupAccount)?.sipAddress ?? world.users[0]?.sipAddress
  const dir = workDir.replace(/\\/g, '/')
  const inLab = (p: string | undefined) => (p === undefined ? undefined : posix.join(dir, p))
  return {
    source: {
      id, product,
      pool: legacy?.fqdn, servers: legacy?.servers, services: servicesOf(legacy?.servers),
      instance: legacyDb?.instance, database: legacyDb?.name,
      lookupAccount: lookup, fileStore: inLab(legacy?.fileStore),
    },
    target: {
      pool: pchat?.fqdn, servers: pchat?.servers, services: servicesOf(pchat?.servers),
      instance: pchatDb?.instance, database: pchatDb?.name, fileStore: inLab(pchat?.fileStore),
    },
    ...(legacyDb === undefined ? {} : { legacyFile: legacyDb.file }),
    ...(pchatDb === undefined ? {} : { targetFile: pchatDb.file }),
  }
}
