import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sha256Hex } from '../core/hash.js'
import type { Inventory } from '../sql/inventory.js'
import { outputsOf } from '../state/records.js'
import type { StepRecord } from '../state/types.js'
import type { RenderKnowledge } from '../steps/define.js'
import { frozenInventoryId, preflightInventoryId } from '../steps/kinds/inventory.js'

/** What earlier runs learned, for the preview: the inventories they froze, read from the
 * artifacts (and only when the file is the one the state recorded). */
export function knowledgeFrom(records: Readonly<Record<string, StepRecord>>, artifactsDir: string): RenderKnowledge {
  type Known = { readonly inventory: Inventory; readonly sha256: string; readonly from: string }
  const cache = new Map<string, Known | undefined>()
  const recorded = (stepId: string): Known | undefined => {
    const out = outputsOf(records[stepId])
    if (typeof out?.artifact !== 'string' || typeof out.sha256 !== 'string') return undefined
    try {
      const text = readFileSync(join(artifactsDir, out.artifact), 'utf8')
      return sha256Hex(text) === out.sha256 ? { inventory: JSON.parse(text) as Inventory, sha256: out.sha256, from: stepId } : undefined
    } catch {
      return undefined
    }
  }
  const best = (source: string): Known | undefined => {
    if (!cache.has(source)) cache.set(source, recorded(frozenInventoryId(source)) ?? recorded(preflightInventoryId(source)))
    return cache.get(source)
  }
  return {
    inventory: (source) => best(source)?.inventory,
    inventoryDigest(source) {
      const k = best(source)
      return k === undefined ? undefined : { sha256: k.sha256, from: k.from }
    },
  }
}
