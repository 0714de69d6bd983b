/**
 * Helpers of the crash and resume tests (test/crash): the built CLI driven as an admin would,
 * the journal, and digests of what a run leaves behind (the Persistent Chat store, the lab world,
 * the file store), so a run killed anywhere can be compared with an uninterrupted one.
 */
import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { inject, onTestFailed, onTestFinished } from 'vitest'
import { compile } from '../../runner/compile/compile.js'
import { loadPlan } from '../../runner/plan/load.js'
import { platformOf } from '../../runner/runtimes/index.js'
import { kindNamed } from '../../runner/steps/registry.js'
import { runCli } from './cli.js'
import type { CliResult } from './cli.js'
import { labCase } from './lab.js'
import type { LabCase } from './lab.js'

/** The plan's name in plans/lab.yaml: it names the state, journal and lock files. */
export const PLAN_NAME = 'lab'

/** The variables that steer a lab run, cleared so a developer's shell cannot leak into a test. */
const QUIET_ENV = { CUTOVER_CRASH_AT: '', CUTOVER_LAB_FAULTS: '', CUTOVER_CLOCK: '' } as const

/** A labCase() for one test, copied from the lab the crash project's setup generated for this
 * size: removed when the test passes, kept (and named) when it fails. */
export async function crashCase(lab: { readonly rooms: number; readonly messages: number }): Promise<LabCase> {
  const template = inject('crashFixtures').labs.find((l) => l.rooms === lab.rooms && l.messages === lab.messages)?.template
  if (template === undefined) throw new Error(`no ${String(lab.rooms)}x${String(lab.messages)} lab: test/setup/crash-fixtures.ts generates the sizes the crash tests use`)
  const c = await labCase({ ...lab, template })
  onTestFailed(() => {
    process.stderr.write(`kept for inspection: ${c.dir}\n`)
  })
  onTestFinished(({ task }) => {
    if (task.result?.state === 'pass') rmSync(c.dir, { recursive: true, force: true })
  })
  return c
}

export function cli(c: LabCase, args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliResult> {
  return runCli(args, { cwd: c.dir, env: { ...QUIET_ENV, ...env } })
}

export function apply(c: LabCase, env: Readonly<Record<string, string>> = {}, extra: readonly string[] = []): Promise<CliResult> {
  return cli(c, ['apply', c.planFile, '--yes', '--quiet', ...extra], env)
}

export function resolveStep(c: LabCase, step: string, how: 'done' | 'retry'): Promise<CliResult> {
  return cli(c, ['resolve', c.planFile, step, `--${how}`])
}

/** Everything a failed CLI run said, for assertion messages. */
export function said(r: CliResult): string {
  return `exit ${String(r.code)}${r.signal === null ? '' : ` (${r.signal})`}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`
}

export interface StatusRow {
  readonly id: string
  readonly phase: string
  readonly status: string
  readonly attempts: number
  readonly startedAt: string | null
  readonly endedAt: string | null
  readonly error: string | null
}

export interface Status {
  readonly plan: string
  readonly lock: { readonly pid: number; readonly host: string; readonly alive: boolean } | null
  readonly steps: readonly StatusRow[]
}

/** `cutover status --json`, parsed. */
export async function status(c: LabCase): Promise<Status> {
  const r = await cli(c, ['status', c.planFile, '--json'])
  if (r.code !== 0) throw new Error(`cutover status failed: ${said(r)}`)
  return JSON.parse(r.stdout) as Status
}

export interface JournalEvent {
  readonly at: string
  readonly pid: number
  readonly event: string
  readonly step?: string
  readonly outcome?: string
  readonly detail?: Record<string, unknown>
}

/** The journal, oldest first (file order: the lab clock restarts with each process, so `at` does not order it). */
export function journal(c: LabCase): JournalEvent[] {
  const file = join(c.dir, '.cutover', `${PLAN_NAME}.journal.jsonl`)
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as JournalEvent)
}

export function countEvents(events: readonly JournalEvent[], event: string, step: string): number {
  return events.filter((e) => e.event === event && e.step === step).length
}

export interface StepTraits {
  readonly kind: string
  readonly idempotent: boolean
  readonly check: boolean
  readonly recover: boolean
  readonly manual: boolean
}

/** What each step of the plan is, by id (compiled in-process: the CLI does not print kinds). */
export async function stepTraits(planFile: string): Promise<Map<string, StepTraits>> {
  const loaded = await loadPlan(planFile)
  if (loaded.plan === undefined) throw new Error(`${planFile} is not valid`)
  return new Map(compile(loaded.plan, platformOf(loaded.plan)).map((s) => {
    const k = kindNamed(s.kind)
    if (k === undefined) throw new Error(`no kind ${s.kind}`)
    return [s.id, { kind: s.kind, idempotent: k.traits.idempotent, check: k.check !== undefined, recover: k.recover !== undefined, manual: k.traits.manual === true }]
  }))
}

/** The one kind of step that may pause a resumed run for `cutover resolve`: it cannot safely run
 * twice and has neither a postcondition to settle it nor a way to undo a partial attempt. */
export function needsResolveWhenInterrupted(t: StepTraits): boolean {
  return !t.idempotent && !t.check && !t.recover && !t.manual
}

/** What a resumed run does with a step found interrupted, by its traits: the classes the matrix's
 * cases fall into (a step of each class behaves like the others of it when killed). */
export const TRAIT_CLASSES = ['manual', 'needs-resolve', 'recover', 'check-settled', 'idempotent-checked', 'idempotent'] as const
export type TraitClass = (typeof TRAIT_CLASSES)[number]

export function traitClass(t: StepTraits): TraitClass {
  if (t.manual) return 'manual'
  if (needsResolveWhenInterrupted(t)) return 'needs-resolve'
  if (t.recover) return 'recover'
  if (t.check) return t.idempotent ? 'idempotent-checked' : 'check-settled'
  return 'idempotent'
}

// ---------------------------------------------------------------------------------------------
// Digests

export interface RoomMessages {
  readonly count: number
  /** In chat order: [date, sender, content]. */
  readonly messages: readonly (readonly [string, string, string])[]
}

export interface StoreDigest {
  readonly categories: readonly { name: string; disabled: number; visibility: number }[]
  readonly rooms: readonly { name: string; category: string; disabled: number; visibility: number; behavior: number; invite: number | null; description: string | null }[]
  readonly roles: readonly { room: string; principal: string; role: string }[]
  readonly principals: readonly { principal: string; disabled: number; type: number }[]
  readonly messages: Readonly<Record<string, RoomMessages>>
  readonly totalMessages: number
}

/** A digest by SQL of a chat store (Persistent Chat or legacy: same tables): categories, rooms
 * with their category and flags, role holders per room, principals, and per room the message
 * count and the ordered messages. Ids and GUIDs are left out: they are the store's own. */
export function storeDigest(file: string): StoreDigest {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const categories = db.prepare(
      `SELECT nodeName AS name, disabled, visibility FROM tblNode WHERE nodeType = 1 AND nodeID <> 1 ORDER BY nodeName`,
    ).all() as StoreDigest['categories']
    const rooms = db.prepare(
      `SELECT r.nodeName AS name, c.nodeName AS category, r.disabled AS disabled, r.visibility AS visibility, r.behavior AS behavior, r.invite AS invite, r.nodeDesc AS description
       FROM tblNode r JOIN tblNode c ON c.nodeID = r.parentID WHERE r.nodeType = 0 ORDER BY r.nodeName`,
    ).all() as StoreDigest['rooms']
    const roles = db.prepare(
      `SELECT n.nodeName AS room, COALESCE(p.prinUri, p.prinName) AS principal, t.rtypeDesc AS role
       FROM tblPrincipalRole pr JOIN tblNode n ON n.nodeID = pr.prinRoleNodeID JOIN tblPrincipal p ON p.prinID = pr.prinRolePrinID
       JOIN tblRoleType t ON t.rtypeID = pr.prinRoleTypeID WHERE n.nodeType = 0 ORDER BY room, principal, role`,
    ).all() as StoreDigest['roles']
    const principals = db.prepare(
      `SELECT COALESCE(prinUri, prinName) AS principal, prinDisabled AS disabled, prinTypeID AS type FROM tblPrincipal ORDER BY principal, disabled, type`,
    ).all() as StoreDigest['principals']
    const rows = db.prepare(
      `SELECT n.nodeName AS room, CAST(ch.chatDate AS TEXT) AS date, COALESCE(p.prinUri, p.prinName) AS sender, ch.content AS content
       FROM tblChat ch JOIN tblNode n ON n.nodeID = ch.channelId JOIN tblPrincipal p ON p.prinID = ch.userId
       ORDER BY n.nodeName, ch.chatId`,
    ).all() as { room: string; date: string; sender: string; content: string }[]
    const messages: Record<string, { count: number; messages: [string, string, string][] }> = {}
    for (const r of rows) {
      const m = (messages[r.room] ??= { count: 0, messages: [] })
      m.count++
      m.messages.push([r.date, r.sender, r.content])
    }
    return { categories, rooms, roles, principals, messages, totalMessages: rows.length }
  } finally {
    db.close()
  }
}

/** Message counts per room, straight from SQL (cheaper than a digest, for partial states). */
export function messageCounts(file: string): { total: number; perRoom: Record<string, number> } {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const rows = db.prepare('SELECT n.nodeName AS room, COUNT(*) AS n FROM tblChat ch JOIN tblNode n ON n.nodeID = ch.channelId GROUP BY n.nodeName').all() as { room: string; n: number }[]
    return { total: rows.reduce((a, r) => a + r.n, 0), perRoom: Object.fromEntries(rows.map((r) => [r.room, r.n])) }
  } finally {
    db.close()
  }
}

/** The lab world (lab.json) a migration changes: services, endpoints, users, policies, trusted
 * application pools, the topology. lab.json holds no volatile field (no time, no random id:
 * endpoint DNs are derived from their SIP address), so nothing is left out of these. */
export function worldDigest(labDir: string): Record<string, unknown> {
  const w = JSON.parse(readFileSync(join(labDir, 'lab.json'), 'utf8')) as Record<string, unknown>
  const { servers, pools, databases, users, endpoints, policies, trustedApplicationPools, topology } = w
  return { servers, pools, databases, users, endpoints, policies, trustedApplicationPools, topology }
}

/** Every file under a folder, relative path → sha256. */
export function treeDigest(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name)
      if (statSync(full).isDirectory()) walk(full)
      else out[relative(dir, full)] = createHash('sha256').update(readFileSync(full)).digest('hex')
    }
  }
  if (existsSync(dir)) walk(dir)
  return out
}

export function fileSha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

/** What an uninterrupted run and a crashed-then-resumed one must have in common. */
export interface RunDigest {
  readonly pchat: StoreDigest
  readonly legacy: StoreDigest
  readonly world: Record<string, unknown>
  readonly fileStore: Record<string, string>
  readonly exportSha256: string
}

export function runDigest(c: LabCase): RunDigest {
  return {
    pchat: storeDigest(join(c.labDir, 'pchat.sqlite')),
    legacy: storeDigest(join(c.labDir, 'legacy.sqlite')),
    world: worldDigest(c.labDir),
    fileStore: treeDigest(join(c.labDir, 'files', 'pchat')),
    exportSha256: fileSha256(join(c.labDir, 'export-gc2010.zip')),
  }
}

/** Files a crash can leave half written (`*.partial`, `*.tmp`, `*.restoring`) still lying in the lab folder. */
export function leftovers(labDir: string): string[] {
  return Object.keys(treeDigest(labDir)).filter((f) => /\.(partial|tmp|restoring)$/.test(f))
}
