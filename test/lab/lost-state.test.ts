/**
 * The night the state was lost (issue 13, item 1), on the lab, in process: after a full run,
 * deleting the state and its .bak makes apply refuse instead of exporting and importing again;
 * with the journal gone as well, the pre-import backup refuses to replace the backup of the empty
 * store (and the import refuses to run on top of the first one), so the Persistent Chat store
 * keeps its messages once and rollback can still restore it.
 */
import { createHash } from 'node:crypto'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { main } from '../../runner/cli/main.js'
import type { Output } from '../../runner/cli/output.js'
import { LAB_NAMES } from '../../runner/lab/lab-names.js'
import { labCase } from '../helpers/lab.js'

function capture(): Output & { text: () => string } {
  const lines: string[] = []
  return { stdout: (l: string) => { lines.push(l) }, stderr: (l: string) => { lines.push(l) }, text: () => lines.join('\n') } as Output & { text: () => string }
}

function sha(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

function messages(labDir: string): number {
  const db = new Database(join(labDir, LAB_NAMES.targetStoreFile), { readonly: true })
  try {
    return (db.prepare('SELECT COUNT(chatId) AS n FROM tblChat').get() as { n: number }).n
  } finally {
    db.close()
  }
}

describe('a lost state on the lab', () => {
  it('apply refuses instead of starting over; without the journal too, the import refuses to import twice', async () => {
    const c = await labCase({ rooms: 16, messages: 3000 })
    const state = join(c.dir, '.cutover', 'lab.state.json')
    // Up to the import: later steps disable the Lookup Server account and remove the legacy
    // pool, after which the readiness check (rightly) refuses any run from zero before this guard.
    expect(await main(['apply', c.planFile, '--yes', '--quiet', '--until', 'cutover.import.gc2010'], capture())).toBe(3)
    const once = messages(c.labDir)
    expect(once).toBeGreaterThan(0)

    rmSync(state)
    rmSync(`${state}.bak`, { force: true })
    const status = capture()
    expect(await main(['status', c.planFile], status)).toBe(0)
    expect(status.text()).not.toContain('never run')
    expect(status.text()).toContain(`the state and the journal disagree: the state is missing, but the journal records`)
    const refused = capture()
    expect(await main(['apply', c.planFile, '--yes', '--quiet'], refused)).toBe(1)
    expect(refused.text()).toContain(`cutover repair ${c.planFile}`)
    expect(messages(c.labDir)).toBe(once)

    // Everything gone: apply starts from zero. The backup before the import finds the content
    // already there and refuses to replace the backup of the empty store; the import would too.
    const backup = join(c.labDir, 'backups', 'target-before-gc2010.sqlite')
    const emptyStore = sha(backup)
    rmSync(join(c.dir, '.cutover', 'lab.journal.jsonl'))
    const again = capture()
    expect(await main(['apply', c.planFile, '--yes', '--quiet'], again)).toBe(1)
    expect(again.text()).toMatch(/cutover\.backup-target\.gc2010 failed: cutover\.backup-target\.gc2010 refused: the Persistent Chat store already holds \d+ room\(s\) of gc2010 with their messages; a backup now would replace the one taken before the first import/)
    expect(messages(c.labDir)).toBe(once)
    expect(sha(backup)).toBe(emptyStore)
  }, 120_000)
})
