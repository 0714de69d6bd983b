/**
 * The lab emulator's Import-CsPersistentChatData: streams an export file into a Persistent Chat
 * store. Categories, rooms and the rows hanging off them are checked first (import-plan.ts) and
 * written in one transaction; messages follow in batches of 5,000, one transaction each, with
 * progress. Like the real cmdlet it has no replace switch: run twice, it adds the messages twice.
 */
import { existsSync } from 'node:fs'
import type { CmdletContext } from '../cmdlet.js'
import { LabCommandError, LabError } from '../errors.js'
import { EXPORT_FORMAT } from '../export-format.js'
import type { AddinRecord, CategoryRecord, ExportRecord, HeaderRecord, PrincipalRecord, RoleRecord, RoomRecord, ScopeRecord } from '../export-format.js'
import { resolveLabPath } from '../lab-paths.js'
import { readLastLine } from '../ndjson.js'
import { bind } from '../params.js'
import { writeReport } from '../report.js'
import { say } from '../result.js'
import type { LabResult } from '../result.js'
import { openStore } from '../store.js'
import { readWorld, runningServices } from '../world.js'
import { resolveStore } from './databases.js'
import { planImport } from './import-plan.js'
import { RecordReader } from './import-records.js'
import type { ImportMetadata, ImportPlan, TargetNames } from './import-plan.js'
import { messageInserter, readTargetNames, writeMetadata } from './import-target.js'
import type { MessageRow, WrittenMetadata } from './import-target.js'

const SIGNATURE = {
  DBInstance: { kind: 'string', mandatory: true },
  FileName: { kind: 'string', mandatory: true },
  WhatIf: { kind: 'switch' },
  Report: { kind: 'string' },
} as const

export const IMPORT_BATCH = 5_000

/** A file whose last line is not the end record was cut short (a copy that failed, a full disk):
 * refuse it before writing anything. */
function checkComplete(file: string, cmdlet: string): void {
  let end: unknown
  try {
    end = JSON.parse(readLastLine(file))
  } catch {
    end = undefined
  }
  if (typeof end !== 'object' || end === null || !('type' in end) || end.type !== 'end') {
    throw new LabCommandError(cmdlet, `${file} is not a complete lab emulator export (its last line is not the end record); export again`)
  }
}

/** Reads the header and everything before the first message. */
async function readMetadata(source: RecordReader, file: string): Promise<{ meta: ImportMetadata; next: ExportRecord }> {
  const header = source.take() ?? (await source.refill())
  if (header?.type !== 'header' || header.format !== EXPORT_FORMAT || header.version !== 1) throw new LabError(`${file} does not start with a ${EXPORT_FORMAT} version 1 header; is this a lab emulator export?`)
  const meta = { header: header as HeaderRecord, addins: [] as AddinRecord[], principals: [] as PrincipalRecord[], categories: [] as CategoryRecord[], rooms: [] as RoomRecord[], roles: [] as RoleRecord[], scopes: [] as ScopeRecord[] }
  for (;;) {
    const r = source.take() ?? (await source.refill())
    if (r === undefined) throw new LabError(`${file} ends without an end record`)
    switch (r.type) {
      case 'message':
      case 'end':
        return { meta, next: r }
      case 'addin': meta.addins.push(r); break
      case 'principal': meta.principals.push(r); break
      case 'category': meta.categories.push(r); break
      case 'room': meta.rooms.push(r); break
      case 'role': meta.roles.push(r); break
      case 'scope': meta.scopes.push(r); break
      case 'header': throw new LabError(`${file} has a second header`)
    }
  }
}

function targetNames(file: string): TargetNames {
  const db = openStore(file, { readonly: true })
  try {
    return readTargetNames(db)
  } finally {
    db.close()
  }
}

function summaryOf(plan: ImportPlan, messages: number, whatIf: boolean, target: string): string[] {
  const verb = whatIf ? 'What if: would import' : 'imported'
  return [
    `${verb} ${plan.categories.length} categories (nested ones flattened), ${plan.rooms.length} rooms, ${messages} messages into ${target}`,
    `${plan.droppedRoles} role(s) and ${plan.droppedScopes} scope entr(ies) of ${plan.droppedPrincipals.size} principal(s) not provisioned ${whatIf ? 'would be' : 'were'} dropped`,
  ]
}

export async function importData(ctx: CmdletContext): Promise<LabResult> {
  const p = bind(ctx.command, SIGNATURE)
  const world = readWorld(ctx.labDir)
  const store = resolveStore(world, ctx.labDir, ctx.cmdlet, p.DBInstance, undefined, 'pchat')
  const file = resolveLabPath(ctx.labDir, p.FileName, ctx.cmdlet)
  if (!existsSync(file)) throw new LabCommandError(ctx.cmdlet, `Cannot find path '${p.FileName}' because it does not exist.`)
  checkComplete(file, ctx.cmdlet)
  const target = `${store.database.name} on ${store.database.instance}`
  const report = async (plan: ImportPlan, summary: readonly string[], warnings: readonly string[]): Promise<void> => {
    if (p.Report !== undefined) await writeReport(resolveLabPath(ctx.labDir, p.Report, ctx.cmdlet), { title: `Import-CsPersistentChatData${p.WhatIf ? ' -WhatIf' : ''} (lab emulator)`, summary, errors: plan.errors, warnings })
  }

  const source = await RecordReader.open(file)
  try {
    const { meta, next } = await readMetadata(source, file)
    const plan = planImport(meta, targetNames(store.file), world.sipDomain)
    const running = runningServices(world, store.database.instance, 'persistentchat').map((s) => say(`${s} is running; the documented order stops the Persistent Chat services before the import`))
    const warnings = [...running, ...plan.warnings]
    const total = meta.header.counts.messages
    const roomIds = new Set(meta.rooms.map((r) => r.id))

    if (p.WhatIf) {
      // Read to the end anyway, as a test run should: a bad line further down is found now.
      let messages = 0
      for (let r: ExportRecord | undefined = next; r !== undefined && r.type !== 'end'; r = source.take() ?? (await source.refill())) {
        if (r.type !== 'message') throw new LabError(`${file}: a ${r.type} record among the messages`)
        if (roomIds.has(r.room)) messages++
      }
      const summary = summaryOf(plan, messages, true, target)
      await report(plan, summary, warnings)
      return {
        output: [...summary.map(say), ...plan.errors],
        data: { whatIf: true, file, categories: plan.categories.length, rooms: plan.rooms.length, messages, droppedRoles: plan.droppedRoles, droppedPrincipals: plan.droppedPrincipals.size, errors: plan.errors },
        warnings,
      }
    }

    if (plan.errors.length > 0) {
      await report(plan, [`nothing was imported into ${target}`], warnings)
      throw new LabCommandError(ctx.cmdlet, `${plan.errors.length} error(s), nothing was imported: ${plan.errors.map((e) => e.replace(/^lab emulator: /, '')).join('; ')}`)
    }

    const db = openStore(store.file)
    let messages = 0
    let written: WrittenMetadata
    try {
      // verify:missing-room drops the first room silently: counts below still include it.
      const skipRoom = ctx.faults.dropsRoom ? plan.rooms[0]?.record.id : undefined
      written = writeMetadata(db, meta, plan, skipRoom)
      await ctx.progress(0, total, 'messages')
      const insert = messageInserter(db)
      let batch: MessageRow[] = []
      const commit = async (): Promise<void> => {
        insert(batch)
        batch = []
        await ctx.progress(messages, total, 'messages')
      }
      for (let r: ExportRecord | undefined = next; r !== undefined && r.type !== 'end'; r = source.take() ?? (await source.refill())) {
        if (r.type !== 'message') throw new LabError(`${file}: a ${r.type} record among the messages`)
        if (!roomIds.has(r.room)) continue
        messages++
        const room = written.rooms.get(r.room)
        if (room === undefined) continue
        const user = written.principals.get(r.user)
        if (user === undefined) throw new LabCommandError(ctx.cmdlet, `message ${r.id} of room ${r.room} names principal ${r.user}, which is not in the export file; the messages before it were imported`)
        batch.push([room.id, room.nextChatId++, r.date, user, r.alert ? 1 : 0, r.content, r.rtf])
        if (batch.length >= IMPORT_BATCH) await commit()
      }
      if (batch.length > 0) await commit()
      if (messages !== total) throw new LabError(`${file} holds ${messages} messages but its header says ${total}; the file was changed after the export`)
    } finally {
      db.close()
    }
    const summary = summaryOf(plan, messages, false, target)
    await report(plan, summary, warnings)
    return {
      output: summary.map(say),
      data: {
        whatIf: false, file, categories: plan.categories.length, rooms: plan.rooms.length, messages, principalsAdded: written.principalsAdded,
        roles: written.roles, scopes: written.scopes, droppedRoles: plan.droppedRoles, droppedPrincipals: plan.droppedPrincipals.size,
        overwrittenCategories: plan.overwrittenCategories, overwrittenRooms: plan.overwrittenRooms, errors: [],
      },
      warnings,
    }
  } finally {
    await source.close()
  }
}
