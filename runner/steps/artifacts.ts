import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { namingFile } from '../core/file-problem.js'
import { sha256Hex } from '../core/hash.js'
import type { JsonObject } from '../core/json.js'
import type { StepId } from '../core/step.js'
import type { Inventory } from '../sql/inventory.js'
import { outputsOf } from '../state/records.js'
import type { RunContext } from './define.js'

/** Writes a text file under an artifacts folder so that it appears whole or not at all (temp +
 * rename), and returns its full path. */
export async function writeArtifactText(artifactsDir: string, name: string, text: string): Promise<string> {
  const full = join(artifactsDir, name)
  await namingFile('write', full, async () => {
    await mkdir(dirname(full), { recursive: true })
    await writeFile(`${full}.tmp`, text)
    await rename(`${full}.tmp`, full)
  })
  return full
}

/** A JSON artifact's text, as written: its sha256 is what the state records. */
export function artifactText(value: unknown): string {
  return JSON.stringify(value, null, 1)
}

/** Writes a JSON artifact under the run's artifacts folder and returns its path relative to
 * that folder with the sha256 the state records. */
export async function writeArtifact(ctx: RunContext, name: string, value: unknown): Promise<{ file: string; sha256: string }> {
  const text = artifactText(value)
  await writeArtifactText(ctx.artifactsDir, name, text)
  return { file: name, sha256: sha256Hex(text) }
}

/** Reads back the artifact the earlier step `from` recorded, for the step `by`, refusing one that
 * changed since. */
export async function readArtifact<T>(ctx: RunContext, by: StepId, from: StepId): Promise<T> {
  const out: JsonObject | undefined = outputsOf(ctx.record(from))
  const file = out?.artifact
  const sha = out?.sha256
  if (typeof file !== 'string' || typeof sha !== 'string') throw new Error(`${by} needs the result of ${from}, which has not run`)
  let text: string
  try {
    text = await readFile(join(ctx.artifactsDir, file), 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
    // With a shared (SQL Server) state, another machine may have run that step.
    throw new Error(`${file} (from ${from}) is not in ${ctx.artifactsDir}: it is written on the machine that ran that step; copy that machine's artifacts folder (.cutover/<plan name>/ beside the plan) here, then apply again`)
  }
  if (sha256Hex(text) !== sha) throw new Error(`${file} (from ${from}) changed after it was written (its sha256 is in the state); put back the file that step wrote, or cutover rollback to redo the cutover from a fresh inventory and export`)
  return JSON.parse(text) as T
}

/** The inventories the given inventory steps recorded, by source id, in their order. */
export async function inventories(ctx: RunContext, by: StepId, stepIds: readonly StepId<'inventory'>[]): Promise<Map<string, Inventory>> {
  const out = new Map<string, Inventory>()
  for (const id of stepIds) {
    const source = outputsOf(ctx.record(id))?.source
    if (typeof source !== 'string') throw new Error(`${by} needs the inventory of ${id}, which has not run`)
    out.set(source, await readArtifact<Inventory>(ctx, by, id))
  }
  return out
}
