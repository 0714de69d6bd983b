/**
 * The journal as JSON Lines, appended one fsynced line at a time. A crash mid-append can only cut
 * the last line short (no newline yet); such a torn tail is left out when reading, and the next
 * append cuts it off and records that it did, so it never ends up in the middle of the file.
 */
import { open, readFile } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import { namingFile } from '../core/file-problem.js'
import { fsyncDir } from './durable-fs.js'
import { StateCorruptError } from './errors.js'
import { unlessMissing } from './fs-errors.js'
import { describeProblems, journalEntryProblems } from './validate.js'
import type { JournalEntry } from './types.js'

const NEWLINE = 0x0a
// Enough of a torn line to recognise it in the repair entry, not enough to bloat the journal.
const FRAGMENT_PREVIEW = 200

export interface JournalRead {
  readonly entries: JournalEntry[]
  /** A last line cut short by a crash was found and left out. */
  readonly tornTail: boolean
}

function parseEntry(line: string): { entry?: JournalEntry; problem?: string } {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch (error) {
    return { problem: `is not valid JSON (${(error as Error).message})` }
  }
  const problems = journalEntryProblems(value)
  return problems.length > 0 ? { problem: `is not a journal entry: ${describeProblems(problems)}` } : { entry: value as JournalEntry }
}

/** Reads every entry, oldest first; throws StateCorruptError for a bad line before the last one. */
export async function readJournalFile(path: string): Promise<JournalRead> {
  const raw = await namingFile('read the journal from', path, () => unlessMissing(readFile(path, 'utf8')))
  if (raw === undefined) return { entries: [], tornTail: false }
  // A byte order mark (an editor saved the file) is not part of the first line.
  const text = raw.startsWith('\uFEFF') ? raw.slice(1) : raw
  const lines = text.split('\n')
  // After the last newline: '' when the last append completed, else what a crash left of it.
  const tail = lines.pop() ?? ''
  const entries: JournalEntry[] = []
  lines.forEach((line, index) => {
    if (line.trim() === '') return
    const { entry, problem } = parseEntry(line)
    if (entry !== undefined) entries.push(entry)
    else {
      throw new StateCorruptError(
        path,
        `line ${index + 1} ${problem}`,
        'A crash can only cut the last line short and cutover never rewrites earlier ones, so this line was edited or the disk is damaged. ' +
          'Keep a copy of the file (it is the audit trail), then fix or delete that line by hand',
      )
    }
  })
  if (tail.trim() === '') return { entries, tornTail: false }
  const { entry } = parseEntry(tail)
  // A complete entry whose newline never made it to disk is still a complete entry.
  if (entry !== undefined) return { entries: [...entries, entry], tornTail: false }
  return { entries, tornTail: true }
}

/** Ends the file with a newline before `entry` is appended; returns what must be written first. */
async function repairTail(handle: FileHandle, size: number, entry: JournalEntry): Promise<string> {
  const content = Buffer.alloc(size)
  await handle.read(content, 0, size, 0)
  const keep = content.lastIndexOf(NEWLINE) + 1
  const fragment = content.subarray(keep).toString('utf8')
  if (parseEntry(fragment).entry !== undefined) return '\n'
  await handle.truncate(keep)
  const repaired: JournalEntry = {
    at: entry.at,
    who: entry.who,
    host: entry.host,
    pid: entry.pid,
    event: 'journal-repaired',
    outcome: 'dropped-torn-line',
    detail: { bytes: size - keep, fragment: fragment.slice(0, FRAGMENT_PREVIEW) },
  }
  return JSON.stringify(repaired) + '\n'
}

/** Appends `entry` as one line; durable once the promise resolves. */
export async function appendJournalLine(path: string, entry: JournalEntry): Promise<void> {
  // Refused here, or it would become a bad line in the middle that stops every later read.
  const problems = journalEntryProblems(entry)
  if (problems.length > 0) throw new Error(`cutover: refusing to journal an invalid entry to ${path}: ${describeProblems(problems)}`)
  await namingFile('append to the journal', path, () => appendLine(path, entry))
}

async function appendLine(path: string, entry: JournalEntry): Promise<void> {
  const handle = await open(path, 'a+')
  let created = false
  try {
    const { size } = await handle.stat()
    created = size === 0
    let before = ''
    if (size > 0) {
      const last = Buffer.alloc(1)
      await handle.read(last, 0, 1, size - 1)
      if (last[0] !== NEWLINE) before = await repairTail(handle, size, entry)
    }
    // One write, so a crash cuts at most this text and only at its end.
    await handle.appendFile(before + JSON.stringify(entry) + '\n', 'utf8')
    await handle.sync()
  } finally {
    await handle.close()
  }
  // The first line may also be the file's creation, whose directory entry must survive too.
  if (created) await fsyncDir(dirname(path))
}
