/**
 * The run state as one JSON file, replaced atomically on every save, with the state before the
 * latest save kept beside it as `.bak`. At every instant the state file is complete, the old one
 * or the new one, because it is only ever replaced by renaming a fully written, fsynced file over
 * it; the `.bak` is a second name (hard link) for the old file, made before that rename.
 */
import { link, readFile, rename, rm, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { namingFile } from '../core/file-problem.js'
import { fsyncDir, tempPathFor, writeTemp } from './durable-fs.js'
import { StateCorruptError } from './errors.js'
import { unlessMissing } from './fs-errors.js'
import { describeProblems, isRunState, runStateProblems } from './validate.js'
import type { RunState } from './types.js'

export interface StateFiles {
  readonly state: string
  readonly backup: string
  readonly journal: string
}

/** Writes `state` so that a crash at any point leaves the previous or the new state; durable once
 * the promise resolves. Refuses a state `readStateFile` would refuse to read back. */
export async function writeStateFile(files: StateFiles, state: RunState): Promise<void> {
  const problems = runStateProblems(state)
  if (problems.length > 0) throw new Error(`cutover: refusing to save an invalid state to ${files.state}: ${describeProblems(problems)}`)
  const dir = dirname(files.state)
  await namingFile('save the state to', files.state, async () => {
    const temp = await writeTemp(files.state, JSON.stringify(state, null, 2) + '\n')
    try {
      await keepBackup(files)
      await rename(temp, files.state)
    } catch (error) {
      await rm(temp, { force: true })
      throw error
    }
    await fsyncDir(dir)
  })
}

/** Makes `.bak` a second name of the current state file, so the coming rename leaves it the old
 * state; linking costs no copy and the old content is already fsynced. A current file that is
 * not a valid state is not kept: the `.bak` stays the last good one. */
async function keepBackup(files: StateFiles): Promise<void> {
  const current = await unlessMissing(readFile(files.state, 'utf8'))
  if (current === undefined || !isValidJsonState(current)) return
  const temp = tempPathFor(files.backup)
  await link(files.state, temp)
  await rename(temp, files.backup)
  await fsyncDir(dirname(files.backup))
}

/** `text` without a leading UTF-8 byte order mark. */
export function withoutBom<T extends string | undefined>(text: T): T {
  return (text !== undefined && text.startsWith('\uFEFF') ? text.slice(1) : text) as T
}

function isValidJsonState(text: string): boolean {
  try {
    return isRunState(JSON.parse(withoutBom(text)))
  } catch {
    return false
  }
}

async function exists(path: string): Promise<boolean> {
  return (await unlessMissing(stat(path))) !== undefined
}

async function recovery(files: StateFiles): Promise<string> {
  const never = 'cutover will not start the migration over from zero on its own'
  const repair = `Run \`cutover repair\` on the plan to rebuild the state from the journal ${files.journal}, which records every step`
  if (await exists(files.backup)) return `${repair} (the state before the latest save is also kept in ${files.backup}). ${never}`
  return `${repair}. ${never}`
}

function jsonProblem(text: string, error: Error): string {
  if (text.trim() === '') return 'is empty (truncated by a crash or a full disk?)'
  if (text.includes('\0')) return 'contains NUL bytes where JSON was expected (zero-filled by a crash or power cut?)'
  if (!text.trimEnd().endsWith('}')) return `is truncated: its ${Buffer.byteLength(text)} bytes end in the middle of the JSON document`
  return `is not valid JSON (${error.message})`
}

/** The saved state, or undefined when the plan never ran. Throws StateCorruptError naming the
 * file, what is wrong and how to recover; also when the state is gone but its backup is not. */
export async function readStateFile(files: StateFiles): Promise<RunState | undefined> {
  // A byte order mark (an editor saved the file) is not part of the JSON: read past it.
  const text = withoutBom(await namingFile('read the state from', files.state, () => unlessMissing(readFile(files.state, 'utf8'))))
  if (text === undefined) {
    if (!(await exists(files.backup))) return undefined
    throw new StateCorruptError(files.state, 'is missing, although a backup of an earlier save exists, so this plan has run before', await recovery(files))
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new StateCorruptError(files.state, jsonProblem(text, error as Error), await recovery(files))
  }
  if (isRunState(value)) return value
  const problems = runStateProblems(value)
  const version = typeof value === 'object' && value !== null && 'formatVersion' in value ? value.formatVersion : undefined
  if (typeof version === 'number' && version !== 1) {
    throw new StateCorruptError(
      files.state,
      `has state format ${version}, and this cutover reads format 1 only`,
      'It was written by a different cutover version: run that version, or upgrade this one. Do not edit the formatVersion by hand',
    )
  }
  throw new StateCorruptError(files.state, `is not a valid cutover state: ${describeProblems(problems)}`, await recovery(files))
}
