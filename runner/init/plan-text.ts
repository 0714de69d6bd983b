import { DEFAULT_LEGACY_SERVICES, DEFAULT_TARGET_SERVICES } from '../plan/defaults.js'
import { isWithin, nameKey } from '../plan/names.js'
import { formatDuration } from '../core/time.js'
import type { CategoryMapping, Plan, Product, RoomMapping, Shell } from '../plan/types.js'
import type { Platform } from '../core/platform.js'
import type { Inventory } from '../sql/inventory.js'
import { decide } from './decisions.js'
import type { Decisions } from './decisions.js'
import { displayName, pathText } from './names.js'
import { PLACEHOLDER, TODO, TODO_MARK } from './placeholders.js'
import { YamlBuilder } from './yaml-nodes.js'
import { INIT_MARGIN, forecastMinutes, placeholderWindow, windowHours } from './window.js'

/** What is known of the legacy side; whatever is missing becomes a marked placeholder. */
export interface LegacyFacts {
  readonly id: string
  readonly product: Product
  readonly pool?: string
  readonly servers?: readonly string[]
  readonly services?: readonly string[]
  readonly instance?: string
  /** Why the instance is a placeholder although the connection string names a server. */
  readonly instanceNote?: string
  readonly database?: string
  /** An `${env:NAME}` reference, never a connection string. */
  readonly connection?: string
  readonly lookupAccount?: string
  readonly fileStore?: string
}

/** What is known of the Persistent Chat side (everything for the lab, nothing for a real store). */
export interface TargetFacts {
  readonly pool?: string
  readonly servers?: readonly string[]
  readonly services?: readonly string[]
  readonly instance?: string
  readonly database?: string
  readonly connection?: string
  readonly fileStore?: string
}

export interface InitInput {
  readonly name: string
  readonly source: LegacyFacts
  readonly target: TargetFacts
  /** The runtime the plan is for, as its descriptor (runtimes/index.ts) says: `emulator` when it
   * runs on the lab emulator, whose folder is `workDir` (relative to the plan); `platform` for the
   * forecast's compile. */
  readonly environment: { readonly shell: Shell; readonly emulator: boolean; readonly workDir?: string; platform(plan: Plan): Platform }
  readonly inventory: Inventory
  /** The Persistent Chat store's inventory, when it could be read (the lab's). */
  readonly targetInventory?: Inventory
  readonly timezone: string
  readonly now: Date
  /** Where the inventory came from, for the header; never a secret. */
  readonly origin: string
  /** migration.schema.json relative to the plan, for editors' completion. */
  readonly schemaPath?: string
  /** The plan file as the admin names it, for the commands the header suggests. */
  readonly planFile?: string
}

export interface InitPlan {
  readonly text: string
  /** The plan the text holds (before validate fills in the schema's defaults). */
  readonly plan: Plan
  readonly decisions: Decisions
  readonly forecastMinutes: number
  /** How many places say TODO(admin). */
  readonly todos: number
}

const count = (n: number) => n.toLocaleString('en-US')

/**
 * A complete, valid, commented plan from a legacy store's inventory. Pure: the same input gives
 * the same text. Every value the store cannot tell is a placeholder that validates, marked
 * `TODO(admin):`; every room or category the preflight lint flags is listed with why.
 */
export function initPlan(input: InitInput): InitPlan {
  const { source: s, target: t, inventory } = input
  const lab = input.environment.emulator
  const pool = s.pool ?? PLACEHOLDER.legacyPool
  const servers = s.servers ?? [PLACEHOLDER.legacyServer]
  const lookup = s.lookupAccount ?? PLACEHOLDER.lookupAccount
  const base: Plan = {
    version: 1,
    name: input.name,
    environment: { shell: input.environment.shell, lyncModule: '', scriptTimeout: '2h', workDir: input.environment.workDir ?? PLACEHOLDER.workDir },
    sources: [{
      id: s.id, product: s.product, pool, servers,
      ...(s.services === undefined ? {} : { services: s.services }),
      database: { instance: s.instance ?? PLACEHOLDER.legacyInstance, name: s.database ?? PLACEHOLDER.legacyDatabase, ...(lab ? {} : { backupDirectory: PLACEHOLDER.legacyBackupDirectory }) },
      ...(s.connection === undefined ? {} : { connection: s.connection }),
      lookupAccount: lookup,
      fileStore: s.fileStore ?? PLACEHOLDER.legacyFileStore,
    }],
    target: {
      pool: t.pool ?? PLACEHOLDER.targetPool,
      servers: t.servers ?? [PLACEHOLDER.targetServer],
      ...(t.services === undefined ? {} : { services: t.services }),
      database: { instance: t.instance ?? PLACEHOLDER.targetInstance, name: t.database ?? PLACEHOLDER.targetDatabase, ...(lab ? {} : { backupDirectory: PLACEHOLDER.targetBackupDirectory }) },
      ...(lab ? {} : { connection: t.connection ?? PLACEHOLDER.targetConnection }),
      fileStore: t.fileStore ?? PLACEHOLDER.targetFileStore,
    },
    rooms: { unmapped: 'migrate', importWarnings: 'stop', categories: [], map: [] },
    // Replaced below, once the forecast of this very plan is known.
    downtime: { start: '', end: '', timezone: input.timezone, margin: INIT_MARGIN },
    legacyClients: { endpoint: lookup, displayName: lab ? 'Persistent Chat (lab)' : 'Persistent Chat' },
    clients: { enablePolicy: PLACEHOLDER.policy },
    decommission: [
      // The lab emulator cannot uninstall software; a real deployment is uninstalled first (docs/microsoft-facts.md#the-documented-order-of-the-cutover, step 11).
      ...(lab ? [] : [{ 'uninstall-groupchat': { servers } }]),
      { 'remove-trusted-application': { pool } },
    ],
    checkpoints: [],
    state: { backend: 'file', database: 'cutover' },
  }
  const decisions = decide(base, s.id, inventory, input.targetInventory)
  const categories = categoryEntries(s.id, inventory, decisions)
  const map = decisions.rooms.map((r): RoomMapping => ({ source: s.id, room: pathText(r.path), action: r.action ?? 'migrate' }))
  const withRooms: Plan = { ...base, rooms: { ...base.rooms, categories: categories.map((c) => c.mapping), map } }
  const forecast = forecastMinutes(withRooms, input.environment.platform(withRooms), new Map([[s.id, inventory]]))
  const hours = windowHours(forecast, INIT_MARGIN)
  const plan: Plan = { ...withRooms, downtime: placeholderWindow(input.now, input.timezone, hours) }
  const text = write(input, plan, decisions, categories, forecast, hours)
  return { text, plan, decisions, forecastMinutes: forecast, todos: text.split('\n').filter((l) => l.includes(TODO)).length }
}

interface CategoryEntry {
  readonly mapping: CategoryMapping
  readonly why: readonly string[]
  readonly after: string
}

/** Every legacy category, with the name Import gives it; left out where the decisions say so. */
function categoryEntries(source: string, inv: Inventory, decisions: Decisions): CategoryEntry[] {
  const taken = new Map<string, number>()
  return inv.categories.map((c): CategoryEntry => {
    const from = pathText(c.path)
    const excluded = decisions.excluded.find((e) => nameKey(pathText(e.path)) === nameKey(from))
    if (excluded !== undefined) return { mapping: { source, from, export: false }, why: excluded.why, after: `→ ${c.flattened}; not exported, see above` }
    const outer = decisions.excluded.find((e) => isWithin(c.path, e.path))
    if (outer !== undefined) return { mapping: { source, from, export: false }, why: [], after: `→ ${c.flattened}; left out with ${displayName(pathText(outer.path), 40)}` }
    // Two categories that flatten to one name: Import would merge them into one; the plan's
    // target-name-collision rule asks for a 'to' on one of them.
    const seen = taken.get(nameKey(c.flattened)) ?? 0
    taken.set(nameKey(c.flattened), seen + 1)
    if (seen > 0) {
      const to = `${c.flattened} (${seen + 1})`
      return { mapping: { source, from, to, export: true }, why: [`${TODO} another category also flattens to '${displayName(c.flattened)}'; Import gives both that name. Choose a name for this one (to:), or rename one in the Group Chat Admin Tool.`], after: '' }
    }
    return { mapping: { source, from, export: true }, why: [], after: `→ ${c.flattened}` }
  })
}

function write(input: InitInput, plan: Plan, decisions: Decisions, categories: readonly CategoryEntry[], forecast: number, hours: number): string {
  const y = new YamlBuilder()
  const root = y.root
  const lab = input.environment.emulator
  const s = input.source
  const t = input.target
  const src = plan.sources[0]
  if (src === undefined) throw new Error('initPlan: no source')
  const tp = plan.target
  const file = input.planFile ?? '<plan.yaml>'
  const inv = input.inventory
  // The first line carries the mark; comment lines are wrapped when written.
  const todo = (...lines: string[]): string[] => lines.map((l, i) => (i === 0 ? `${TODO} ${l}` : l))
  const backupNote = `${TODO} backupDirectory: where SQL Server writes cutover's backups of this store, as its service sees it (a local folder such as E:\\SQLBackup, or a share it may write to); a backup can need 20 times the disk of an export.`

  const header = [
    ...(input.schemaPath === undefined ? [] : [`yaml-language-server: $schema=${input.schemaPath}`, '']),
    `Written by cutover init on ${input.now.toISOString().slice(0, 10)} from the inventory of ${input.origin}: ${count(inv.totals.categories)} categories, ${count(inv.totals.rooms)} rooms, ${count(inv.totals.messages)} messages, ${count(inv.principals.active)} active principals.`,
    '',
    ...(lab
      ? [`It runs on the lab EMULATOR as written: cutover apply ${file} --yes (the lab clock starts at the window's opening). Lines marked ${TODO_MARK} are what a real migration would review.`]
      : [`Lines marked ${TODO_MARK} need you: fill in what the Group Chat store cannot tell (placeholders end in .invalid, so they never reach a real server) and review each decision. List them: grep -n '${TODO_MARK}' ${file}`]),
    `Then: cutover validate ${file}, and cutover plan ${file} for every step and the exact PowerShell it runs.`,
  ]
  y.put(root, 'version', 1)
  y.put(root, 'name', plan.name)

  const env = y.map()
  y.put(root, 'environment', env, { space: true })
  y.put(env, 'shell', plan.environment.shell, lab ? { after: 'the embedded lab emulator: no Lync involved' } : { after: 'Windows PowerShell 5.1 on a Lync server (pwsh for PowerShell 7)' })
  y.put(env, 'workDir', plan.environment.workDir, lab
    ? { after: "the lab emulator's folder, relative to this file" }
    : { before: todo('the folder on the Lync server for export files, import reports and scripts. To run from an admin workstation, add remote: <FQDN of the Lync server> (PowerShell remoting).') })

  const sources = y.seq()
  y.put(root, 'sources', sources, { space: true })
  const sm = y.map()
  y.push(sources, sm)
  y.put(sm, 'id', src.id)
  y.put(sm, 'product', src.product)
  y.put(sm, 'pool', src.pool, s.pool === undefined ? { before: todo('the FQDN of the Group Chat trusted application pool (Get-CsTrustedApplicationPool).') } : {})
  y.put(sm, 'servers', y.flow(src.servers), s.servers === undefined ? { before: todo('the FQDNs of the Group Chat servers (their services stop when the downtime starts).') } : {})
  if (src.services !== undefined) y.put(sm, 'services', y.flow(src.services))
  const dbNotes = src.services === undefined
    ? todo('confirm the Group Chat service names on each server (Get-Service) and write them here:', `services: [${DEFAULT_LEGACY_SERVICES[src.product].join(', ')}]`, 'until then cutover uses these guesses and validate warns.')
    : []
  if (src.database.backupDirectory !== undefined) dbNotes.push(backupNote)
  if (s.instance === undefined || s.database === undefined) {
    dbNotes.push(...todo(`the legacy Group Chat database: SQL Server instance as FQDN\\instance (Export -DBInstance) and its name${s.instanceNote === undefined ? '.' : ';'}`, ...(s.instanceNote === undefined ? [] : [`${s.instanceNote}.`])))
  }
  y.put(sm, 'database', y.flow({ ...src.database }), { before: dbNotes, ...(s.instance !== undefined && s.database !== undefined && !lab ? { after: 'from the connection string' } : {}) })
  if (src.connection !== undefined) y.put(sm, 'connection', src.connection, { after: 'how cutover reads the store (inventory, verification); resolved at run time only' })
  y.put(sm, 'lookupAccount', src.lookupAccount, s.lookupAccount === undefined ? { before: todo('the SIP URI of the legacy Lookup Server account (e.g. sip:ocschat@contoso.com): legacy clients connect to it, and legacyClients.endpoint below must be the same.') } : {})
  if (src.fileStore !== undefined) y.put(sm, 'fileStore', src.fileStore, s.fileStore === undefined ? { before: todo('the UNC path of the Group Chat file store: files are not part of the export, cutover copies them. Delete both fileStore lines if Group Chat kept no files.') } : {})

  const tm = y.map()
  y.put(root, 'target', tm, { space: true, before: decisions.notes.filter((n) => n.rule === 'target-not-empty').flatMap((n) => todo(n.text)) })
  y.put(tm, 'pool', tp.pool, t.pool === undefined ? { before: todo('the FQDN of the Lync Server 2013 Persistent Chat pool. It should be empty: Import overwrites same-named items.') } : {})
  y.put(tm, 'servers', y.flow(tp.servers), t.servers === undefined ? { before: todo('the FQDNs of the Persistent Chat servers (stopped for the import, started after it).') } : {})
  if (tp.services !== undefined) y.put(tm, 'services', y.flow(tp.services))
  const tdb = tp.services === undefined
    ? todo('confirm the Persistent Chat service name (Get-CsWindowsService) and write it here:', `services: [${DEFAULT_TARGET_SERVICES.join(', ')}]`)
    : []
  if (tp.database.backupDirectory !== undefined) tdb.push(backupNote)
  if (t.instance === undefined || t.database === undefined) tdb.push(...todo('the Persistent Chat store: instance as FQDN\\instance (Import -DBInstance) and database (usually mgc).'))
  y.put(tm, 'database', y.flow({ ...tp.database }), { before: tdb })
  if (tp.connection !== undefined) y.put(tm, 'connection', tp.connection, t.connection === undefined ? { before: todo('set PCHAT_SQL to the connection string of the Persistent Chat store (verification reads it).') } : {})
  if (tp.fileStore !== undefined) y.put(tm, 'fileStore', tp.fileStore, t.fileStore === undefined ? { before: todo('the UNC path of the Persistent Chat file store (the legacy files are copied here).') } : {})

  const rooms = y.map()
  const storeNotes = decisions.notes.filter((n) => n.rule !== 'target-not-empty').flatMap((n) => todo(n.text))
  // Federated means "of another SIP domain than the store's own", which only the Lookup Server
  // account tells; until it is filled in, the preflight of cutover plan and apply is the one to ask.
  if (s.lookupAccount === undefined) storeNotes.push('Rooms with federated members are not flagged below: that needs the SIP domain of lookupAccount. Once it is filled in, cutover plan lists them (preflight lint).')
  y.put(root, 'rooms', rooms, { space: true, before: storeNotes })
  y.put(rooms, 'unmapped', 'migrate', {
    before: todo(`choose a cutoff date: older content is not exported (Export -StartDate); without one, all ${count(inv.totals.messages)} messages migrate.`, 'Write it here as: cutoff: YYYY-MM-DD'),
    after: 'rooms that rooms.map does not name migrate as they are',
  })
  y.put(rooms, 'importWarnings', lab ? 'accept' : 'stop', lab
    ? { after: "the lab's -WhatIf warns about trouble its seed builds in on purpose: accepted, so it runs through" }
    : { after: 'Import -WhatIf warnings pause the run until someone reads them: cutover approve, or accept here' })
  const cats = y.seq()
  y.put(rooms, 'categories', cats, {
    before: ['Every legacy category, and after # the name Import gives it: nested categories are flattened, parent names prefixed. Add to: to rename one after the import; export: false leaves it and its rooms behind.'],
  })
  for (const c of categories) {
    const m = c.mapping
    const value = { source: m.source, from: m.from, ...(m.to === undefined ? {} : { to: m.to }), ...(m.export ? {} : { export: false }) }
    y.push(cats, y.flow(value), { before: c.why, ...(c.after === '' ? {} : { after: c.after }) })
  }
  // The rooms that migrate as they are, by reason: one comment line each, as the room: value reads.
  const grouped = decisions.groups.flatMap((g) => [g.why, ...g.rooms.map((r) => `  - ${pathText(r.path)}${r.count === undefined ? '' : ` (${r.count})`}`)])
  if (decisions.rooms.length === 0) {
    y.put(rooms, 'map', y.flow([]), { before: grouped.length === 0 ? ['The preflight lint flags no room of this store.'] : todo('the rooms the preflight lint flags; each migrates as it is unless you add it here (rename, category, privacy, disabled, description, or action: skip).', ...grouped) })
  } else {
    const map = y.seq()
    y.put(rooms, 'map', map, { before: todo('the rooms the preflight lint flags. An entry without changes migrates the room as it is; add rename, category, privacy, disabled or description, or action: skip (removed after the import). The rooms of the groups below migrate as they are: an entry here would change nothing.', ...grouped) })
    for (const r of decisions.rooms) y.push(map, y.flow({ source: s.id, room: pathText(r.path), ...(r.action === undefined ? {} : { action: r.action }) }), { before: r.why })
  }

  const d = plan.downtime
  y.put(root, 'downtime', y.node({ start: d.start, end: d.end, timezone: d.timezone, margin: d.margin }), {
    space: true,
    before: todo(
      `a placeholder window to agree on with the users and the Lync team: next Saturday 22:00, sized from the forecast (${formatDuration(forecast * 60_000)} for the cutover steps with the inventory above, plus the ${d.margin} margin, rounded up to ${hours}h).`,
      `cutover plan ${file} shows the forecast step by step; a rehearsal on a copy measures the real durations.`,
    ),
  })
  y.put(root, 'legacyClients', y.node({ ...plan.legacyClients }), {
    space: true,
    before: ['Legacy clients keep connecting: the Lookup Server account is re-created as a Persistent Chat endpoint with the same SIP URI.'],
  })
  y.put(root, 'clients', y.flow({ ...plan.clients }), lab ? { space: true } : { space: true, before: todo('the Persistent Chat policy to enable after a verified cutover (Global, site:<name> or tag:<name>).') })

  const dec = y.seq()
  y.put(root, 'decommission', dec, { space: true, before: ['After a verified cutover, in this order: retire the legacy deployment.'] })
  for (const step of plan.decommission) {
    const m = y.map()
    for (const [kind, body] of Object.entries(step)) y.put(m, kind, y.flow(body as object))
    y.push(dec, m)
  }
  return y.toString(header)
}
