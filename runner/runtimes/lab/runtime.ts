import { existsSync, statSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { LabHost } from './host.js'
import { LabEmulator, backupStore, createLab, describeFile, findDatabase, readWorld, restoreStore, worldFile } from '../../lab/index.js'
import type { Plan } from '../../plan/types.js'
import type { SqlClient } from '../../core/sql-client.js'
import { openSqliteClient } from '../../sql/sqlite.js'
import type { SqlServerFacts } from '../../sql/sqlite.js'
import type { BackupInfo, Backups } from '../../core/backups.js'
import type { StoreRole } from '../../core/step.js'
import { placeOf } from '../../sql/store-place.js'
import type { Runtime } from '../../core/runtime.js'

/** The lab's folder: the plan's workDir, relative to the plan file. */
export function labDirOf(plan: Plan, planDir: string): string {
  return resolve(planDir, plan.environment.workDir)
}

/** Whether the lab emulator exists in `labDir`. */
export function labExists(labDir: string): boolean {
  return existsSync(worldFile(labDir))
}

/** Creates the lab on first use, so `cutover apply plans/lab.yaml` works on a fresh clone. */
export async function ensureLab(labDir: string, onCreate?: () => void): Promise<boolean> {
  if (labExists(labDir)) return false
  onCreate?.()
  await createLab({ dir: labDir })
  return true
}

/** The runtime of `environment.shell: lab`: the lab emulator, its SQLite stores, SQLite backups. */
export function labRuntime(plan: Plan, planDir: string): Runtime {
  const labDir = labDirOf(plan, planDir)
  const emulator = new LabEmulator(labDir)
  const clients = new Map<string, SqlClient>()

  const storeFile = (store: StoreRole): string => {
    const db = placeOf(plan, store).database
    const found = findDatabase(readWorld(labDir), db.instance, db.name)
    if (found === undefined) throw new Error(`the lab emulator has no database ${db.name} on ${db.instance}; check the plan against the lab (cutover lab init)`)
    return join(labDir, found.file)
  }
  // What the readiness check reads of SQL Server's catalog, emulated from lab.json and the file.
  const sqlServerFacts = (store: StoreRole, file: string): SqlServerFacts => {
    const instance = placeOf(plan, store).database.instance
    const denied = (readWorld(labDir).readiness?.deniedPermissions ?? []).filter((d) => d.instance.toLowerCase() === instance.toLowerCase())
    return {
      hasPermission: (_securable, _class, permission) => (denied.some((d) => d.permission.toUpperCase() === permission.toUpperCase()) ? 0 : 1),
      dataPages: Math.ceil(statSync(file).size / 8192),
    }
  }
  const closeClient = async (file: string): Promise<void> => {
    await clients.get(file)?.close()
    clients.delete(file)
  }
  const backups: Backups = {
    async backup(store, label): Promise<BackupInfo> {
      const dest = join(labDir, 'backups', `${label}.sqlite`)
      await mkdir(join(labDir, 'backups'), { recursive: true })
      const info = await backupStore(storeFile(store), dest)
      return { file: dest, bytes: info.bytes, checksum: info.sha256, checksumKind: 'sha256' }
    },
    async restore(store, from): Promise<void> {
      const file = storeFile(store)
      // Never restore a backup that is not the one taken: a damaged copy would lose data.
      if (from.checksumKind !== 'sha256') throw new Error(`the backup ${from.file} was not taken by the lab emulator (${from.checksumKind}); it was not restored`)
      if ((await describeFile(from.file)).sha256 !== from.checksum) throw new Error(`the backup ${from.file} changed since it was taken (sha256 differs); it was not restored`)
      // SQLite must have no open connection on a store that is replaced underneath it.
      await closeClient(file)
      await restoreStore(from.file, file)
    },
  }
  return {
    host: new LabHost(emulator, planDir),
    backups,
    async sql(store) {
      const file = storeFile(store)
      let client = clients.get(file)
      if (client === undefined) {
        client = openSqliteClient(file, { readonly: true, sqlServer: sqlServerFacts(store, file) })
        clients.set(file, client)
      }
      return client
    },
    async close() {
      for (const file of [...clients.keys()]) await closeClient(file)
    },
  }
}
