/** Finding the lab emulator store an instance/database pair names, as a SQL connection would. */
import { join } from 'node:path'
import { LabCommandError } from '../errors.js'
import { sameName } from '../world.js'
import type { LabDatabase, LabWorld } from '../world.js'

export interface ResolvedStore {
  readonly database: LabDatabase
  readonly file: string
}

/** The store of `instance` and `name`; without a name, the instance's only database of `kind`. */
export function resolveStore(world: LabWorld, labDir: string, cmdlet: string, instance: string, name: string | undefined, kind?: LabDatabase['kind']): ResolvedStore {
  const onInstance = world.databases.filter((d) => sameName(d.instance, instance))
  if (onInstance.length === 0) {
    throw new LabCommandError(cmdlet, `cannot connect to SQL Server instance '${instance}': the lab emulator has ${world.databases.map((d) => `'${d.instance}'`).join(' and ')}`)
  }
  const candidates = onInstance.filter((d) => (name === undefined || sameName(d.name, name)) && (kind === undefined || d.kind === kind))
  const database = candidates[0]
  if (database === undefined || candidates.length > 1) {
    const wanted = name === undefined ? `a ${kind === 'pchat' ? 'Persistent Chat' : kind === 'legacy' ? 'Group Chat' : ''} database`.replace('a  ', 'a ') : `database '${name}'`
    throw new LabCommandError(cmdlet, `cannot open ${wanted} on instance '${instance}': it holds ${onInstance.map((d) => `'${d.name}' (${d.kind === 'pchat' ? 'Persistent Chat' : 'Group Chat'})`).join(', ')}`)
  }
  return { database, file: join(labDir, database.file) }
}
