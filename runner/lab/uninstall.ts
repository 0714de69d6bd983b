/** Uninstalling Group Chat from a legacy server in the lab emulator. Not a cmdlet (the real thing
 * is Control Panel / setup on that server), so the engine's lab host calls this function. */
import { LabError } from './errors.js'
import { say } from './result.js'
import type { LabResult } from './result.js'
import { findServer, readWorld, updateWorld } from './world.js'

/** Removes Group Chat and its (non-Lync) services from `server`; a server without it is left as is. */
export async function uninstallGroupChat(labDir: string, server: string): Promise<LabResult> {
  const world = readWorld(labDir)
  const host = findServer(world, server)
  if (host === undefined) throw new LabError(`no server ${server} in the lab; it has ${world.servers.map((s) => s.fqdn).join(', ')}`)
  if (!host.groupChatInstalled) return { output: [say(`Group Chat is not installed on ${host.fqdn}; nothing to uninstall`)], data: { server: host.fqdn, changed: false } }
  const removed = host.services.filter((s) => !s.lync).map((s) => s.name)
  await updateWorld(labDir, (w) => ({
    ...w,
    servers: w.servers.map((s) => (s.fqdn !== host.fqdn ? s : { ...s, groupChatInstalled: false, services: s.services.filter((v) => v.lync) })),
  }))
  return { output: [say(`uninstalled Group Chat from ${host.fqdn} (services removed: ${removed.join(', ') || 'none'})`)], data: { server: host.fqdn, changed: true, removedServices: removed } }
}
