/**
 * The names the Persistent Chat store holds while several legacy sources are imported into it one
 * after the other, each followed by its own mappings (docs/microsoft-facts.md#several-legacy-pools-into-one):
 * which items of a source Import would overwrite, and which renames would find their new name taken.
 * Pure, and shared by `validate` (the items the plan names) and the preflight lint (every item the
 * inventories hold), so both judge a plan by the same model.
 */
import { nameKey } from './names.js'

export type ItemKind = 'category' | 'room'

/** One item a source brings into Persistent Chat. */
export interface IncomingItem<T> {
  readonly kind: ItemKind
  /** Its name as Import creates it (the flattened name: plan/names.ts). */
  readonly imported: string
  /** Its name once the source's mappings ran (a rename or `to`), or null when they remove it
   * (action: skip, unmapped: skip): Import still brings it in first. */
  readonly final: string | null
  readonly ref: T
}

/** An item already in the target before the first import (the preflight's inventory of it). */
export interface ExistingItem<T> {
  readonly kind: ItemKind
  readonly name: string
  readonly ref: T
}

/** Where a name is held: by an item of the target from before, or of a source already imported. */
export type Holder<T> = { readonly ref: T; readonly source: number | 'target' }

export type Clash<T> =
  /** Import of `item`'s source overwrites `holder`, which holds that name when the import runs. */
  | { readonly type: 'overwrites'; readonly source: number; readonly item: T; readonly holder: Holder<T>; readonly name: string }
  /** Two items of one source that one import gives the same name: the later overwrites the earlier. */
  | { readonly type: 'same-import'; readonly source: number; readonly item: T; readonly holder: Holder<T>; readonly name: string }
  /** A rename to a name `holder` has when the source's mappings run: Set- refuses a taken name. */
  | { readonly type: 'rename-taken'; readonly source: number; readonly item: T; readonly holder: Holder<T>; readonly name: string }

const keyOf = (kind: ItemKind, name: string) => `${kind}\u0000${nameKey(name)}`

/**
 * Walks the sources in the plan's order: each is imported into what the target holds (the items
 * from before, the earlier sources' items under the names their mappings gave them), then its
 * mappings run. Categories and rooms are separate namespaces (a room's identity is <pool>\<room>).
 * A rename is judged against the names held right after its source's import, not after the other
 * renames of that source: the mappings run in no order a plan can rely on, so a chain (A to B
 * while B goes to C) is refused rather than left to chance.
 */
export function importClashes<T>(sources: readonly (readonly IncomingItem<T>[])[], existing: readonly ExistingItem<T>[] = []): Clash<T>[] {
  const clashes: Clash<T>[] = []
  const held = new Map<string, Holder<T>>()
  for (const e of existing) if (!held.has(keyOf(e.kind, e.name))) held.set(keyOf(e.kind, e.name), { ref: e.ref, source: 'target' })
  sources.forEach((items, source) => {
    // The import: every item under its imported name; a name already held is overwritten.
    const imported = new Map<string, Holder<T>>()
    // Each item's key once, for the import and for its mappings: a big plan names 12,000 items.
    const keys = items.map((item) => keyOf(item.kind, item.imported))
    items.forEach((item, i) => {
      const key = keys[i] ?? ''
      const twin = imported.get(key)
      if (twin !== undefined) {
        clashes.push({ type: 'same-import', source, item: item.ref, holder: twin, name: item.imported })
        return
      }
      const holder = held.get(key)
      if (holder !== undefined) clashes.push({ type: 'overwrites', source, item: item.ref, holder, name: item.imported })
      imported.set(key, { ref: item.ref, source })
    })
    for (const [key, holder] of imported) held.set(key, holder)
    // The mappings: renames are checked against the names held right after the import.
    const renamed = new Map<string, Holder<T>>()
    const moves: { from: string; to: string | null; holder: Holder<T> }[] = []
    items.forEach((item, i) => {
      const from = keys[i] ?? ''
      if (imported.get(from)?.ref !== item.ref) return
      if (item.final === null) {
        moves.push({ from, to: null, holder: { ref: item.ref, source } })
        return
      }
      // Not renamed: the same name has the same key.
      if (item.final === item.imported) return
      const to = keyOf(item.kind, item.final)
      if (to === from) return
      const taken = held.get(to) ?? renamed.get(to)
      if (taken !== undefined) {
        clashes.push({ type: 'rename-taken', source, item: item.ref, holder: taken, name: item.final })
        return
      }
      renamed.set(to, { ref: item.ref, source })
      moves.push({ from, to, holder: { ref: item.ref, source } })
    })
    for (const m of moves) held.delete(m.from)
    for (const m of moves) if (m.to !== null) held.set(m.to, m.holder)
  })
  return clashes
}
