/** Whole-file writes that a crash (the lab emulator's own SIGKILL faults included) cannot leave
 * half done, built on the state store's durable primitives. */
import { rename } from 'node:fs/promises'
import { dirname } from 'node:path'
import { fsyncDir, writeTemp } from '../state/durable-fs.js'

/** Writes a fsynced temporary file beside the target, renames it over the target and fsyncs the
 * folder, so readers see the old content or the new, never a mix. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const temp = await writeTemp(file, text)
  await rename(temp, file)
  await fsyncDir(dirname(file))
}
