import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { sha256Hex } from '../core/hash.js'
import type { Inventory } from '../sql/inventory.js'
import type { JsonObject } from '../core/json.js'
import { outputsOf } from '../state/records.js'
import type { RunContext } from './kind.js'

/** Writes a text file under an artifacts folder so that it appears whole or not at all (temp +
 * rename), and returns its full path. */
export async function writeArtifactText(artifactsDir: string, name: string, text: string): Promise<string> {
  const full = join(artifactsDir, name)
  await mkdir(dirname(full), { recursive: true })
  await writeFile(`${full}.tmp`, text)
  await rename(`${full}.tmp`, full)
  return full
}

/** Writes a JSON artifact under the run's artifacts folder and returns its path relative to
 * that folder with the sha256 the state records. */
export async function writeArtifact(ctx: RunContext, name: string, value: unknown): Promise<{ file: string; sha256: string }> {
  const text = JSON.stringify(value, null, 1)
  await writeArtifactText(ctx.artifactsDir, name, text)
  return { file: name, sha256: sha256Hex(text) }
}

/** Reads back an artifact an earlier step recorded, refusing one that changed since. */
export async function readArtifact<T>(ctx: RunContext, stepId: string): Promise<T> {
  const out: JsonObject | undefined = outputsOf(ctx.records[stepId])
  const file = out?.artifact
  const sha = out?.sha256
  if (typeof file !== 'string' || typeof sha !== 'string') throw new Error(`${ctx.step.id} needs the result of ${stepId}, which has not run`)
  let text: string
  try {
    text = await readFile(join(ctx.artifactsDir, file), 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
    // With a shared (SQL Server) state, another machine may have run that step.
    throw new Error(`${file} (from ${stepId}) is not in ${ctx.artifactsDir}: it is written on the machine that ran that step; copy that machine's artifacts folder (.cutover/<plan name>/ beside the plan) here, then apply again`)
  }
  if (sha256Hex(text) !== sha) throw new Error(`${file} (from ${stepId}) changed after it was written (its sha256 is in the state); put back the file that step wrote, or cutover rollback to redo the cutover from a fresh inventory and export`)
  return JSON.parse(text) as T
}

/** The frozen inventories of the given inventory steps, by source id. */
export async function inventories(ctx: RunContext, stepIds: readonly string[]): Promise<Map<string, Inventory>> {
  const out = new Map<string, Inventory>()
  for (const id of stepIds) {
    const source = outputsOf(ctx.records[id])?.source
    if (typeof source !== 'string') throw new Error(`${ctx.step.id} needs the inventory of ${id}, which has not run`)
    out.set(source, await readArtifact<Inventory>(ctx, id))
  }
  return out
}
