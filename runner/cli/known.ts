import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sha256Hex } from '../compile/fingerprint.js'
import type { Inventory } from '../sql/inventory.js'
import type { StepRecord } from '../state/types.js'
import type { RenderKnowledge } from '../steps/kind.js'

/** What earlier runs learned, for the preview: the inventories they froze, read from the
 * artifacts (and only when the file is the one the state recorded). */
export function knowledgeFrom(records: Readonly<Record<string, StepRecord>>, artifactsDir: string): RenderKnowledge {
  const cache = new Map<string, Inventory | undefined>()
  return {
    inventory(stepId) {
      if (cache.has(stepId)) return cache.get(stepId)
      let inv: Inventory | undefined
      const out = records[stepId]?.outputs
      if (records[stepId]?.status === 'done' && typeof out?.artifact === 'string' && typeof out.sha256 === 'string') {
        try {
          const text = readFileSync(join(artifactsDir, out.artifact), 'utf8')
          if (sha256Hex(text) === out.sha256) inv = JSON.parse(text) as Inventory
        } catch {
          inv = undefined
        }
      }
      cache.set(stepId, inv)
      return inv
    },
  }
}
