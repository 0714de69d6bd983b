/**
 * The few file-system moves the file store builds on, each either complete or absent after a
 * crash: a temp file written and fsynced before it is renamed or linked into place, and the
 * directory fsynced after, so the new name itself survives a power cut.
 */
import { randomBytes } from 'node:crypto'
import { link, mkdir, open, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { hasCode, unlessMissing } from './fs-errors.js'
import { pidAlive } from './liveness.js'

const TEMP_MARK = '.tmp-'
const TEMP_SUFFIX = /\.tmp-(\d+)-[0-9a-f]+$/

/** A fresh temp name beside `target`; the pid in it lets a later run tell a dead writer's leftover
 * from a file another process is writing right now. */
export function tempPathFor(target: string): string {
  return `${target}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`
}

/** Writes `content` to a new temp file beside `target` and fsyncs it; returns the temp path. */
export async function writeTemp(target: string, content: string): Promise<string> {
  const temp = tempPathFor(target)
  const handle = await open(temp, 'wx')
  try {
    await handle.writeFile(content, 'utf8')
    await handle.sync()
  } catch (error) {
    await handle.close()
    await rm(temp, { force: true })
    throw error
  }
  await handle.close()
  return temp
}

/** Makes the entries of `dir` (creations, renames, removals) durable. */
export async function fsyncDir(dir: string): Promise<void> {
  let handle
  try {
    handle = await open(dir, 'r')
    await handle.sync()
  } catch (error) {
    // Windows cannot open or fsync a directory; NTFS journals the rename itself.
    if (!hasCode(error, 'EISDIR', 'EPERM', 'EINVAL', 'EACCES')) throw error
  } finally {
    await handle?.close()
  }
}

/** Puts `content` at `target` only if nothing is there, all at once (a reader never sees a half
 * written file, unlike open 'wx' then write); true when this call created it. */
export async function createExclusive(target: string, content: string): Promise<boolean> {
  const temp = await writeTemp(target, content)
  try {
    await link(temp, target)
  } catch (error) {
    if (hasCode(error, 'EEXIST')) return false
    throw error
  } finally {
    await rm(temp, { force: true })
  }
  await fsyncDir(dirname(target))
  return true
}

/** Creates `dir` (with a `.gitignore` of `*`, so state, locks and artifacts never land in git by
 * accident) unless it exists. */
export async function ensureStateDir(dir: string): Promise<void> {
  const created = await mkdir(dir, { recursive: true })
  try {
    await writeFile(join(dir, '.gitignore'), '# cutover state, journal, lock and artifacts: never commit them\n*\n', { flag: 'wx' })
  } catch (error) {
    // An existing .gitignore is the admin's; leave it as it is.
    if (!hasCode(error, 'EEXIST')) throw error
  }
  if (created !== undefined) await fsyncDir(dirname(created))
  await fsyncDir(dir)
}

/** Removes temp files beside files whose name starts with `prefix`, left by writers that died. */
export async function removeStrayTemps(dir: string, prefix: string): Promise<string[]> {
  const names = (await unlessMissing(readdir(dir))) ?? []
  const removed: string[] = []
  for (const name of names) {
    const match = TEMP_SUFFIX.exec(name)
    if (!name.startsWith(prefix) || match === null) continue
    const pid = Number(match[1])
    if (pid === process.pid || pidAlive(pid)) continue
    await unlessMissing(unlink(join(dir, name)))
    removed.push(basename(name))
  }
  return removed
}

/** Replaces `file` with `content` so that readers (and a crash, or a full disk) see the old
 * content or the new, never a truncated mix: temp file, fsync, rename, fsync the folder. */
export async function replaceFile(file: string, content: string): Promise<void> {
  const temp = await writeTemp(file, content)
  try {
    await rename(temp, file)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
  await fsyncDir(dirname(file))
}
