import { sha256Hex } from '../core/hash.js'

/** The parts of a previewed action that say what runs (compile/preview.ts PreviewAction). */
export interface RunAction {
  readonly type: 'commands' | 'sql' | 'backup' | 'manual' | 'report' | 'note'
  readonly script?: string
  readonly store?: string
  readonly queries?: readonly string[]
  readonly backupTo?: string
  readonly instructions?: string
  readonly file?: string
}

/**
 * What a step runs, as one text: each PowerShell script whole, each read-only query with its
 * store, each backup with its target and statements, a manual step's instructions, the report's
 * file. Notes are left out: they say what the preview cannot show, they do not run. A reviewed
 * plan records its sha256 per step, and apply --reviewed compares it with the text it would run.
 */
export function runText(actions: readonly RunAction[]): string {
  const parts: string[] = []
  for (const a of actions) {
    switch (a.type) {
      case 'commands': parts.push(a.script ?? ''); break
      case 'sql': parts.push(`-- read-only SQL on ${a.store ?? ''}`, ...(a.queries ?? [])); break
      case 'backup': parts.push(`-- backup of ${a.store ?? ''} to ${a.backupTo ?? ''}`, ...(a.queries ?? [])); break
      case 'manual': parts.push(`-- done by a person: ${a.instructions ?? ''}`); break
      case 'report': parts.push(`-- the run report: ${a.file ?? ''}`); break
      case 'note': break
    }
  }
  return parts.join('\n')
}

/** sha256 of runText: what the reviewed plan records of each step. */
export function runDigest(actions: readonly RunAction[]): string {
  return sha256Hex(runText(actions))
}
