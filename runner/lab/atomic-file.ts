/** Whole-file writes that a crash (the lab emulator's own SIGKILL faults included) cannot leave half done. */
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'

/** Writes to a temporary file beside the target, fsyncs it, renames it over the target and
 * fsyncs the folder, so readers see the old content or the new, never a mix. */
export function writeFileAtomic(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`
  const fd = openSync(temp, 'w')
  try {
    writeSync(fd, text)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(temp, file)
  syncFolder(dirname(file))
}

/** Makes a rename in `folder` durable. */
export function syncFolder(folder: string): void {
  const fd = openSync(folder, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
