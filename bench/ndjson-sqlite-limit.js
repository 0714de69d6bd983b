// The NDJSON-to-SQLite limit (issue 14): how fast this machine moves an export file's messages into
// a Persistent Chat store with nothing but readline, JSON.parse and a prepared insert in
// transactions of the import's batch size. The lab's import is measured against it, in the same run.
// Rooms and principals get the one row each that the messages' foreign keys need; as the import
// does, a message of a room the file does not list is read and left out.
import { createReadStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import { IMPORT_BATCH } from '../dist/runner/lab/cmdlets/import.js'
import { createStore } from '../dist/runner/lab/store.js'

export async function ndjsonToSqliteLimit(exportFile) {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-limit-'))
  // The same tables and index as the lab's target store.
  const db = createStore(join(dir, 'mgc.sqlite'), 'pchat', '00000000-0000-0000-0000-000000000001', '2026-01-01T00:00:00Z')
  try {
    const insert = db.prepare('INSERT INTO tblChat (channelId, chatId, chatDate, userId, isAlert, content, rtf) VALUES (?, ?, ?, ?, ?, ?, ?)')
    const node = db.prepare("INSERT OR IGNORE INTO tblNode (nodeID, nodeGuid, parentID, nodeType, nodeName, nodeDesc, invite, logged, filePost, disabled, behavior, visibility, nodeAddedOn, nodeUpdatedOn) VALUES (?, ?, 1, 0, ?, '', 0, 1, 0, 0, 4, 6, '', '')")
    const principal = db.prepare('INSERT OR IGNORE INTO tblPrincipal (prinID, prinGuid, prinName, prinTypeID) VALUES (?, ?, ?, 5)')
    const rooms = new Set()
    // Rooms and principals come before the messages; written with the first batch, in its transaction.
    let meta = []
    const commit = db.transaction((rows) => {
      for (const m of meta) m()
      meta = []
      for (const row of rows) insert.run(...row)
    })
    const t = performance.now()
    let messages = 0
    let batch = []
    for await (const line of createInterface({ input: createReadStream(exportFile, { encoding: 'utf8' }), crlfDelay: Infinity })) {
      const r = JSON.parse(line)
      if (r.type === 'room') {
        rooms.add(r.id)
        meta.push(() => node.run(r.id, r.guid, `room ${r.id}`))
      } else if (r.type === 'principal') meta.push(() => principal.run(r.id, r.guid, r.name))
      if (r.type !== 'message') continue
      messages++
      if (!rooms.has(r.room)) continue
      batch.push([r.room, r.id, r.date, r.user, r.alert ? 1 : 0, r.content, r.rtf])
      if (batch.length >= IMPORT_BATCH) {
        commit(batch)
        batch = []
      }
    }
    if (batch.length > 0 || meta.length > 0) commit(batch)
    const ms = performance.now() - t
    return { ms, messages, msgPerSec: Math.round(messages / (ms / 1000)) }
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
