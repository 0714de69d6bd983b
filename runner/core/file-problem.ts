/**
 * File-system failures the admin can act on, named with the file: Node's own messages for a full
 * disk say only "ENOSPC: no space left on device, write", with no file and no step.
 */

/** What each code means for the admin, in their words. */
const MEANINGS = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of its path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  EROFS: 'the file system is read-only',
  EMFILE: 'too many files are open',
  EIO: 'the disk reported an input/output error',
} as const
type Code = keyof typeof MEANINGS

function codeOf(error: unknown): Code | undefined {
  const code = error instanceof Error && 'code' in error ? String(error.code) : undefined
  return code !== undefined && code in MEANINGS ? (code as Code) : undefined
}

/** An error about `file` that says what was being done and what went wrong, keeping the original
 * as its cause; `error` itself when it is not one of the file-system failures above. */
export function fileError(error: unknown, doing: string, file: string): unknown {
  const code = codeOf(error)
  if (code === undefined) return error
  // Already named (by a layer below): keep the first, most precise one.
  if (error instanceof Error && error.message.startsWith('cannot ')) return error
  return Object.assign(new Error(`cannot ${doing} ${file}: ${MEANINGS[code]} (${code})`, { cause: error }), { code })
}

/** Runs `work` on `file`, naming the file in the error of a file-system failure. */
export async function namingFile<T>(doing: string, file: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw fileError(error, doing, file)
  }
}
