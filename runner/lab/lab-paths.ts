/** Paths as the lab emulator's cmdlets accept them. */
import { isAbsolute, join, normalize } from 'node:path'
import { LabCommandError } from './errors.js'

/** Resolves a path given to an emulated cmdlet. Relative paths are relative to the lab folder
 * (the lab's "file system"); `\` separators are accepted; Windows drive and UNC paths are not,
 * because nothing of the lab lives on a real Windows share. */
export function resolveLabPath(labDir: string, path: string, cmdlet: string): string {
  if (/^[A-Za-z]:/.test(path) || path.startsWith('\\\\')) {
    throw new LabCommandError(cmdlet, `'${path}' is a Windows path; lab emulator paths are relative to the lab folder (e.g. files/legacy) or absolute on this machine`)
  }
  const posix = normalize(path.replace(/\\/g, '/'))
  return isAbsolute(posix) ? posix : join(labDir, posix)
}
