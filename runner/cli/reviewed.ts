import { readFile } from 'node:fs/promises'
import { UsageError } from '../core/errors.js'
import { sha256Hex } from '../core/hash.js'
import { previewActions } from '../compile/preview.js'
import { ReviewedComparer, headerDifferences, parseReviewedPlan } from '../compile/reviewed-plan.js'
import { RefusedError } from '../engine/errors.js'
import type { EngineSetup } from '../engine/engine.js'
import { platformOf } from '../runtimes/index.js'
import { renderScript, templatesDigest } from '../runtimes/powershell/script.js'
import { cutoverVersion } from '../version.js'
import type { OpenPlan } from './open-plan.js'

export type ReviewedRun = NonNullable<EngineSetup['reviewed']>

/**
 * `apply --reviewed FILE`: reads the reviewed plan and compares what does not depend on the
 * stores (the plan file's bytes, cutover's version, the templates, the steps and their
 * fingerprints) before anything runs: a difference, or a file that is not a reviewed plan of
 * this plan, refuses here, with no state, journal or lock touched. What does depend on the
 * stores is compared by the engine as the run reads them (engine.ts reviewGate).
 */
export async function loadReviewed(file: string, open: OpenPlan): Promise<ReviewedRun> {
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (e) {
    const code = e instanceof Error && 'code' in e ? String(e.code) : 'unreadable'
    throw new UsageError(`apply: --reviewed ${file}: cannot read it (${code}); write one with cutover plan ${open.file} --inventory --format json --out ${file}`)
  }
  const parsed = parseReviewedPlan(bytes.toString('utf8'), open.plan.name)
  if (!parsed.ok) throw new RefusedError(`--reviewed ${file} is not a reviewed plan of ${open.file}: ${parsed.why}; nothing was run (write one with cutover plan ${open.file} --inventory --format json --out FILE)`)
  const sha256 = sha256Hex(bytes)
  const lines = headerDifferences(parsed.reviewed, { planSha256: open.planHash, cutoverVersion: cutoverVersion(), templatesDigest: templatesDigest(), steps: open.steps })
  if (lines.length > 0) {
    throw new RefusedError([
      `this run would differ from the reviewed plan ${file} (sha256 ${sha256.slice(0, 12)}); nothing was run:`,
      ...lines.map((l) => `  ${l}`),
      `Re-plan (cutover plan ${open.file} --inventory --format json --out FILE), have it reviewed, then apply with --reviewed FILE`,
    ].join('\n'))
  }
  const platform = platformOf(open.plan)
  const comparer = new ReviewedComparer(parsed.reviewed, (step, known) => previewActions(step, known, platform, (s, commands) => renderScript(s, open.plan, commands)))
  return { file, sha256, comparer }
}
