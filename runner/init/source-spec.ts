/** What `cutover init --source` names: the lab emulator, or a legacy store's connection string. */

/** The variable a literal connection string goes into: plans are committed, secrets never are. */
export const DEFAULT_CONNECTION_VARIABLE = 'GC_SQL'

/** Where the embedded lab is looked for when `--source lab` names no folder (relative to the cwd). */
export const DEFAULT_LAB_DIR = 'plans/.cutover/lab'

export type SourceSpec =
  | { readonly kind: 'lab'; readonly dir: string }
  /** `${env:NAME}`: the plan refers to the variable exactly as the admin did. */
  | { readonly kind: 'env'; readonly reference: string; readonly variable: string }
  /** A connection string typed on the command line: it is used, never written anywhere. */
  | { readonly kind: 'literal'; readonly connectionString: string }

const ENV_ONLY = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/

/** Reads the --source argument; never fails (a bad connection string is found when it is parsed). */
export function parseSourceSpec(text: string): SourceSpec {
  const trimmed = text.trim()
  if (trimmed === 'lab') return { kind: 'lab', dir: DEFAULT_LAB_DIR }
  if (trimmed.startsWith('lab:')) {
    const dir = trimmed.slice('lab:'.length).trim()
    return { kind: 'lab', dir: dir === '' ? DEFAULT_LAB_DIR : dir }
  }
  const env = ENV_ONLY.exec(trimmed)
  if (env !== null) return { kind: 'env', reference: trimmed, variable: env[1] ?? '' }
  return { kind: 'literal', connectionString: text }
}
