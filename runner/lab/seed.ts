/**
 * `createLab`: the lab emulator's seeded, deterministic legacy Group Chat store, an empty
 * Persistent Chat store, the legacy file store and the emulated world (lab.json). Same seed and
 * sizes give the same rows. Messages are streamed, so a million of them need no more memory than ten.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fsyncDir } from '../state/durable-fs.js'
import { LabError } from './errors.js'
import { LAB_NAMES } from './lab-names.js'
import { Random } from './random.js'
import type { ProgressListener } from './result.js'
import { CHAT_INDEX_DDL } from './schema.js'
import type { StoreKind } from './schema.js'
import { buildModel, buildSecondModel, fixedRoomCount } from './seed-model.js'
import type { SeedModel } from './seed-model.js'
import { writeFileStore } from './seed-files.js'
import { insertMessages } from './seed-messages.js'
import { createStore } from './store.js'
import type { Store } from './store.js'
import { sqlDateTime } from './ticks.js'
import { initialWorld, writeWorld } from './world.js'

export interface LabOptions {
  readonly dir: string
  /** Rooms, the fixed trouble rooms included (default 40). */
  readonly rooms?: number
  /** Messages over all rooms (default 20,000). */
  readonly messages?: number
  /** Any 32-bit unsigned integer (default 1). */
  readonly seed?: number
  /** Legacy Group Chat pools: 1 (default), or 2 to merge into the one Persistent Chat pool (the
   * second's names overlap the first's on purpose: LAB_NAMES.second, SECOND_TREE). */
  readonly legacyPools?: number
  /** Remove an existing lab in `dir` first, instead of refusing. */
  readonly replace?: boolean
  readonly progress?: ProgressListener
}

export interface LabCounts {
  readonly categories: number
  readonly rooms: number
  readonly messages: number
  readonly principals: number
  readonly roles: number
  readonly scopes: number
  readonly addins: number
  readonly files: number
}

export interface LabInfo {
  readonly dir: string
  readonly seed: number
  readonly world: string
  readonly legacyStore: string
  readonly pchatStore: string
  readonly legacyFiles: string
  readonly pchatFiles: string
  readonly counts: LabCounts
  /** The second legacy pool, with --legacy-pools 2. */
  readonly second?: { readonly legacyStore: string; readonly legacyFiles: string; readonly counts: LabCounts }
}

/** Files and folders a lab consists of, relative to its folder. */
const LAB_ENTRIES = [LAB_NAMES.worldFile, LAB_NAMES.legacyStoreFile, LAB_NAMES.second.legacyStoreFile, LAB_NAMES.targetStoreFile, 'files', 'faults.json']

/** The seed the second legacy pool's messages, files and store GUID come from: not the first's. */
const secondSeed = (seed: number) => (seed + 0x9e3779b9) >>> 0

function checkSize(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) throw new LabError(`${name} must be a whole number from ${min} to ${max}, not ${value}`)
}

function writeLegacyRows(db: Store, model: SeedModel): void {
  const addin = db.prepare('INSERT INTO tblSiopWhiteList (siopID, siopName, siopUrl) VALUES (?, ?, ?)')
  const principal = db.prepare('INSERT INTO tblPrincipal (prinID, prinGuid, prinUri, prinName, prinDisplayName, prinEmail, prinDisabled, prinTypeID) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  const node = db.prepare(
    'INSERT INTO tblNode (nodeID, nodeGuid, parentID, nodeType, nodeName, nodeDesc, invite, logged, filePost, disabled, behavior, visibility, siopID, nodeAddedBy, nodeAddedOn, nodeUpdatedBy, nodeUpdatedOn, purgedOn, topic, inheritance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, 1)',
  )
  const role = db.prepare('INSERT INTO tblPrincipalRole (prinRoleNodeID, prinRolePrinID, prinRoleTypeID) VALUES (?, ?, ?)')
  const scope = db.prepare('INSERT INTO tblScopePrincipal (scopeNodeID, scopePrinID, scopeIsDenied) VALUES (?, ?, ?)')
  db.transaction(() => {
    for (const a of model.addins) addin.run(a.id, a.name, a.url)
    for (const p of model.principals) principal.run(p.id, p.guid, p.uri, p.name, p.displayName, p.email, p.disabled, p.type)
    for (const n of model.nodes) {
      node.run(n.id, n.guid, n.parentId, n.type, n.name, n.description, n.invite, n.logged, n.filePost, n.disabled, n.behavior, n.visibility, n.siopId, n.addedBy, sqlDateTime(n.addedOn), n.addedBy, sqlDateTime(n.updatedOn), n.topic)
    }
    for (const r of model.roles) role.run(r.nodeId, r.prinId, r.roleId)
    for (const s of model.scopes) scope.run(s.nodeId, s.prinId, s.denied)
  })()
}

function newStore(file: string, kind: StoreKind, seed: number, sizes: { readonly rooms: number; readonly messages: number }): Store {
  rmSync(file, { force: true })
  const db = createStore(file, kind, new Random(seed, kind === 'legacy' ? 7 : 8).guid(), sqlDateTime(Date.UTC(2012, 0, 1)))
  db.prepare('INSERT INTO labEmulatorInfo (infoKey, infoValue) VALUES (?, ?), (?, ?)').run('seed', String(seed), 'sizes', JSON.stringify(sizes))
  return db
}

/** Creates the lab in `options.dir`; refuses a folder that already holds one unless `replace`. */
export async function createLab(options: LabOptions): Promise<LabInfo> {
  const rooms = options.rooms ?? 40
  const messages = options.messages ?? 20_000
  const seed = options.seed ?? 1
  checkSize('rooms', rooms, fixedRoomCount(), 100_000)
  checkSize('messages', messages, 0, 100_000_000)
  checkSize('seed', seed, 0, 0xffffffff)
  const pools = options.legacyPools ?? 1
  checkSize('legacy pools', pools, 1, 2)
  const dir = resolve(options.dir)
  const existing = LAB_ENTRIES.filter((e) => existsSync(join(dir, e)))
  if (existing.length > 0 && options.replace !== true) throw new LabError(`${dir} already holds a lab (${existing.join(', ')}); remove it or choose another folder`)
  for (const e of existing) rmSync(join(dir, e), { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })

  const model = buildModel(seed, rooms)
  const second = pools === 2 ? buildSecondModel(seed) : undefined
  const sizes = { rooms, messages }
  // The second pool is smaller: its fixed rooms, a quarter of the messages on top.
  const secondMessages = second === undefined ? 0 : Math.ceil(messages / 4)
  const total = messages + secondMessages
  const written = await writeLegacyStore(join(dir, LAB_NAMES.legacyStoreFile), model, messages, seed, sizes, (done) => options.progress?.({ done, total, unit: 'messages' }))
  const secondWritten = second === undefined ? 0
    : await writeLegacyStore(join(dir, LAB_NAMES.second.legacyStoreFile), second, secondMessages, secondSeed(seed), sizes, (done) => options.progress?.({ done: messages + done, total, unit: 'messages' }))

  const pchatTemp = join(dir, `${LAB_NAMES.targetStoreFile}.partial`)
  newStore(pchatTemp, 'pchat', seed, sizes).close()
  renameSync(pchatTemp, join(dir, LAB_NAMES.targetStoreFile))

  const legacyFiles = join(dir, LAB_NAMES.legacyFileStore)
  const pchatFiles = join(dir, LAB_NAMES.targetFileStore)
  const roomNodes = model.nodes.filter((n) => n.type === 0)
  const files = writeFileStore(legacyFiles, roomNodes, seed)
  const secondFiles = join(dir, LAB_NAMES.second.legacyFileStore)
  const secondRooms = second?.nodes.filter((n) => n.type === 0) ?? []
  const secondFileCount = second === undefined ? 0 : writeFileStore(secondFiles, secondRooms, secondSeed(seed))
  mkdirSync(pchatFiles, { recursive: true })
  await fsyncDir(dir)
  // Last: lab.json is what makes the folder a lab.
  await writeWorld(dir, initialWorld(seed, sizes, pools))

  return {
    dir,
    seed,
    world: join(dir, LAB_NAMES.worldFile),
    legacyStore: join(dir, LAB_NAMES.legacyStoreFile),
    pchatStore: join(dir, LAB_NAMES.targetStoreFile),
    legacyFiles,
    pchatFiles,
    counts: countsOf(model, written, files),
    ...(second === undefined ? {} : { second: { legacyStore: join(dir, LAB_NAMES.second.legacyStoreFile), legacyFiles: secondFiles, counts: countsOf(second, secondWritten, secondFileCount) } }),
  }
}

function countsOf(model: SeedModel, messages: number, files: number): LabCounts {
  const rooms = model.nodes.filter((n) => n.type === 0).length
  return {
    categories: model.nodes.length - rooms,
    rooms,
    messages,
    principals: model.principals.length,
    roles: model.roles.length,
    scopes: model.scopes.length,
    addins: model.addins.length,
    files,
  }
}

/** Writes a seeded legacy Group Chat store to `file`; returns the messages written. */
async function writeLegacyStore(file: string, model: SeedModel, messages: number, seed: number, sizes: { readonly rooms: number; readonly messages: number }, progress: (done: number) => void): Promise<number> {
  // Built under a temporary name: a lab whose generation was interrupted is never mistaken for a whole one.
  const temp = `${file}.partial`
  const legacy = newStore(temp, 'legacy', seed, sizes)
  let written: number
  try {
    // Nothing to protect while the file is still partial: skip the journal and fsyncs for speed.
    legacy.pragma('journal_mode = OFF')
    legacy.pragma('synchronous = OFF')
    legacy.pragma('cache_size = -32768')
    writeLegacyRows(legacy, model)
    // The chat index is built once after the bulk insert, which is faster than maintaining it.
    legacy.exec('DROP INDEX IF EXISTS ixChatChannel')
    written = await insertMessages(legacy, model, messages, seed, async (done) => {
      progress(done)
      await new Promise((r) => setImmediate(r))
    })
    legacy.exec(CHAT_INDEX_DDL)
    legacy.pragma('journal_mode = DELETE')
  } finally {
    legacy.close()
  }
  renameSync(temp, file)
  return written
}
