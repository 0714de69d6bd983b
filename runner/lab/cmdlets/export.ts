/**
 * The lab emulator's Export-CsPersistentChatData: streams a store's categories, rooms, principals,
 * roles, scopes, add-ins and messages into an NDJSON file of the lab's own format (export-format.ts).
 * Messages are read with a cursor and written in chunks, so memory does not grow with their number;
 * the file appears under its name only when complete (written aside, fsynced, renamed).
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { fsyncDir } from '../../state/durable-fs.js'
import type { CmdletContext } from '../cmdlet.js'
import { LabCommandError } from '../errors.js'
import { EXPORT_FORMAT, EXPORT_NOTE } from '../export-format.js'
import type { ExportCounts, HeaderRecord, MessageRecord } from '../export-format.js'
import { resolveLabPath } from '../lab-paths.js'
import { NdjsonWriter } from '../ndjson.js'
import { bind } from '../params.js'
import { writeReport } from '../report.js'
import { say } from '../result.js'
import type { LabResult } from '../result.js'
import { openStore } from '../store.js'
import type { Store } from '../store.js'
import { isoOfTicks, ticksOfMs } from '../ticks.js'
import { readWorld, runningServices } from '../world.js'
import { resolveStore } from './databases.js'
import { loadAddins, loadPrincipals, loadRoles, loadScopes, selectNodes } from './export-source.js'

const SIGNATURE = {
  DBInstance: { kind: 'string', mandatory: true },
  DBName: { kind: 'string' },
  FileName: { kind: 'string', mandatory: true },
  Level: { kind: 'string' },
  Scope: { kind: 'strings' },
  StartDate: { kind: 'date' },
  DisableExportedNodes: { kind: 'switch' },
  Report: { kind: 'string' },
} as const

const PROGRESS_EVERY = 5_000

interface MessageRow {
  readonly chatId: number
  readonly chatDate: string
  readonly userId: number
  readonly isAlert: number
  readonly content: string
  readonly rtf: string | null
}

function messageCounts(db: Store, start: bigint): Map<number, number> {
  const rows = db.prepare('SELECT channelId, COUNT(*) AS n FROM tblChat WHERE chatDate >= @start GROUP BY channelId').all({ start }) as { channelId: number; n: number }[]
  return new Map(rows.map((r) => [r.channelId, r.n]))
}

export async function exportData(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, SIGNATURE)
  if (p.Level !== undefined && p.Level.toLowerCase() !== 'all') throw new LabCommandError(ctx.cmdlet, `-Level ${p.Level} is not emulated; the lab emulator exports -Level All only`)
  const world = readWorld(ctx.labDir)
  const store = resolveStore(world, ctx.labDir, ctx.cmdlet, p.DBInstance, p.DBName)
  const file = resolveLabPath(ctx.labDir, p.FileName, ctx.cmdlet)
  // Microsoft does not say what the cmdlet does with an existing file: the lab takes the reading
  // that hurts most if cutover assumed an overwrite, and refuses.
  if (existsSync(file)) throw new LabCommandError(ctx.cmdlet, `The file '${p.FileName}' already exists (the lab emulator does not overwrite an export file: remove it first)`)
  // CUTOVER_LAB_FAULTS=export:ignores-startdate: the other reading of -StartDate's page.
  const startDate = ctx.faults.ignoresStartDate ? undefined : p.StartDate
  const start = startDate === undefined ? 0n : ticksOfMs(startDate)
  // Content posted while the source's services still run would be missing from the export.
  const warnings = runningServices(world, store.database.instance).map((s) => say(`${s} is running: content posted during the export is not in it (stop the Group Chat services first)`))

  const db = openStore(store.file, { readonly: true })
  let counts: ExportCounts
  let written: { bytes: number; sha256: string }
  let selection: ReturnType<typeof selectNodes>
  const temp = `${file}.partial`
  try {
    selection = selectNodes(db, store.database.kind === 'legacy', p.Scope, ctx.cmdlet)
    const nodeIds = new Set([...selection.categories, ...selection.rooms].map((n) => n.id))
    const addins = loadAddins(db)
    const principals = loadPrincipals(db)
    const roles = loadRoles(db, nodeIds)
    const scopes = loadScopes(db, nodeIds)
    const perRoom = messageCounts(db, start)
    const total = selection.rooms.reduce((n, r) => n + (perRoom.get(r.id) ?? 0), 0)
    counts = { addins: addins.length, principals: principals.length, categories: selection.categories.length, rooms: selection.rooms.length, roles: roles.length, scopes: scopes.length, messages: total }
    const header: HeaderRecord = {
      type: 'header', format: EXPORT_FORMAT, version: 1, note: EXPORT_NOTE,
      source: { instance: store.database.instance, database: store.database.name }, level: 'All',
      scope: p.Scope ?? null, startDate: startDate === undefined ? null : isoOfTicks(start), counts,
    }

    mkdirSync(dirname(file), { recursive: true })
    const out = await NdjsonWriter.create(temp)
    try {
      for (const record of [header, ...addins, ...principals, ...selection.categories, ...selection.rooms, ...roles, ...scopes]) await out.write(record)
      const messages = db.prepare('SELECT chatId, CAST(chatDate AS TEXT) AS chatDate, userId, isAlert, content, rtf FROM tblChat WHERE channelId = @room AND chatDate >= @start ORDER BY chatId')
      let done = 0
      for (const room of selection.rooms) {
        if (!perRoom.has(room.id)) continue
        for (const m of messages.iterate({ room: room.id, start }) as IterableIterator<MessageRow>) {
          const record: MessageRecord = { type: 'message', room: room.id, id: m.chatId, date: m.chatDate, user: m.userId, alert: m.isAlert === 1, content: m.content, rtf: m.rtf }
          await out.write(record)
          if (++done % PROGRESS_EVERY === 0) {
            await out.flush()
            await ctx.progress(done, total, 'messages')
          }
        }
      }
      await out.write({ type: 'end', counts })
      written = await out.close()
    } catch (e) {
      await out.abort()
      rmSync(temp, { force: true })
      throw e
    }
  } finally {
    db.close()
  }
  renameSync(temp, file)
  await fsyncDir(dirname(file))
  await ctx.progress(counts.messages, counts.messages, 'messages')

  if (p.DisableExportedNodes) {
    const rw = openStore(store.file)
    try {
      const disable = rw.prepare('UPDATE tblNode SET disabled = 1 WHERE nodeID = ?')
      rw.transaction(() => {
        for (const n of [...selection.categories, ...selection.rooms]) disable.run(n.id)
      })()
    } finally {
      rw.close()
    }
  }
  const summary = [
    `exported ${counts.categories} categories, ${counts.rooms} rooms, ${counts.messages} messages, ${counts.principals} principals, ${counts.roles} roles, ${counts.scopes} scopes, ${counts.addins} add-ins from ${store.database.name} on ${store.database.instance} to ${p.FileName}`,
    ...(selection.disabledRooms > 0 ? [`${selection.disabledRooms} disabled rooms were not exported`] : []),
    ...(startDate !== undefined ? [`messages before ${isoOfTicks(start)} were not exported (-StartDate)`] : []),
    ...(p.StartDate !== undefined && startDate === undefined ? [`-StartDate ${isoOfTicks(ticksOfMs(p.StartDate))} was ignored: all content was exported (CUTOVER_LAB_FAULTS=export:ignores-startdate)`] : []),
  ]
  if (p.Report !== undefined) await writeReport(resolveLabPath(ctx.labDir, p.Report, ctx.cmdlet), { title: 'Export-CsPersistentChatData (lab emulator)', summary, errors: [], warnings })
  return {
    output: summary.map(say),
    data: { file, bytes: written.bytes, sha256: written.sha256, ...counts, disabledRooms: selection.disabledRooms },
    warnings,
  }
}
