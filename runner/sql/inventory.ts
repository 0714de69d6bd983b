import { flattenedName } from '../plan/names.js'
import type { SqlClient } from '../core/sql-client.js'
import { ACCESS_CONTROL_ENTRIES, FEDERATED_ROLES_PER_NODE, INVENTORY_QUERIES, MESSAGES_PER_ROOM, NODES, PRINCIPALS_BY_STATE, ROLES_PER_NODE, ROOT_MANAGERS_PER_NODE, UNPROVISIONED_ROLES_PER_NODE } from './queries.js'
import { BEGINNING_OF_TIME, ticksOfInstant } from './ticks.js'

export interface InventoryCategory {
  readonly id: number
  /** Names from the top-level category down to this one. */
  readonly path: readonly string[]
  /** Its name once Microsoft's import flattens nesting. */
  readonly flattened: string
  readonly disabled: boolean
  readonly invite: number | null
}

export interface InventoryRoom {
  readonly id: number
  readonly name: string
  readonly categoryId: number
  readonly categoryPath: readonly string[]
  readonly disabled: boolean
  readonly invite: number | null
  readonly visibility: number
  readonly behavior: number
  /** Messages since the cutoff (all of them without one). */
  readonly messages: number
  /** Messages whatever their date. */
  readonly allMessages: number
  /** Role holders by role (tblRoleType.rtypeDesc), active principals only. */
  readonly roles: Readonly<Record<string, number>>
  /** Of its managers, how many also manage the root category. */
  readonly rootManagersHere: number
  /** Roles held here by principals Import will not provision (SIP disabled, AD object deleted). */
  readonly unprovisioned: number
  /** Roles held here by users of another SIP domain (federated). */
  readonly federated: number
}

export interface Inventory {
  readonly cutoff: string | null
  readonly categories: readonly InventoryCategory[]
  readonly rooms: readonly InventoryRoom[]
  readonly principals: { readonly active: number; readonly sipDisabled: number; readonly deleted: number }
  /** Active managers of the root category: Import makes them managers of every room. */
  readonly rootManagers: number
  /** Access-control entries (role and scope rows), against Microsoft's 2 million limit. */
  readonly accessControlEntries: number
  readonly totals: { readonly categories: number; readonly rooms: number; readonly messages: number; readonly allMessages: number; readonly roles: number }
}

interface NodeRow { nodeID: number; parentID: number; nodeType: number; nodeName: string; invite: number | null; disabled: number; visibility: number; behavior: number }
interface MessageRow { channelId: number; messages: number | null; allMessages: number }
interface RoleRow { nodeID: number; role: string; holders: number }
interface CountRow { nodeID: number; holders: number }
interface PrincipalRow { prinDisabled: number; prinTypeID: number; principals: number }

const ROOT = 1

export const MANAGER = 'Manager'

/** Reads a store's categories, rooms, roles, message counts since the cutoff and what the import
 * will stumble on, in a fixed number of queries (INVENTORY_QUERIES) whatever the number of rooms. */
export interface InventoryOptions {
  readonly cutoff: string | null
  /** The store's own SIP domain (of its Lookup Server account): other domains are federated. */
  readonly sipDomain?: string
  readonly progress?: (done: number, total: number) => void
}

export async function takeInventory(sql: SqlClient, options: InventoryOptions): Promise<Inventory> {
  const { cutoff, sipDomain } = options
  const progress = options.progress ?? (() => undefined)
  const since = cutoff === null ? BEGINNING_OF_TIME : ticksOfInstant(cutoff)
  // On a big store the message count is the long query; progress moves per query.
  const total = INVENTORY_QUERIES.length
  const nodes = await sql.query<NodeRow>(NODES)
  progress(1, total)
  const messages = await sql.query<MessageRow>(MESSAGES_PER_ROOM, { since })
  progress(2, total)
  const roles = await sql.query<RoleRow>(ROLES_PER_NODE)
  progress(3, total)
  const overlap = await sql.query<CountRow>(ROOT_MANAGERS_PER_NODE, { manager: MANAGER })
  progress(4, total)
  const principals = await sql.query<PrincipalRow>(PRINCIPALS_BY_STATE)
  progress(5, total)
  const unprovisioned = await sql.query<CountRow>(UNPROVISIONED_ROLES_PER_NODE)
  progress(6, total)
  // Without a domain to compare with (the target store) every SIP user counts as local.
  const domain = sipDomain ?? '%'
  const federated = await sql.query<CountRow>(FEDERATED_ROLES_PER_NODE, { domain: `sip:%@${domain}`, sub: `sip:%.${domain}` })
  progress(7, total)
  const [aces] = await sql.query<{ roles: number; scopes: number }>(ACCESS_CONTROL_ENTRIES)
  progress(8, total)
  const sumBy = (rows: readonly CountRow[]) => {
    const m = new Map<number, number>()
    for (const r of rows) m.set(Number(r.nodeID), (m.get(Number(r.nodeID)) ?? 0) + Number(r.holders))
    return m
  }
  const unprovisionedOf = sumBy(unprovisioned)
  const federatedOf = sumBy(federated)

  const byId = new Map(nodes.map((n) => [Number(n.nodeID), n]))
  const pathCache = new Map<number, readonly string[]>()
  const pathOf = (id: number): readonly string[] => {
    if (id === ROOT) return []
    const cached = pathCache.get(id)
    if (cached !== undefined) return cached
    const node = byId.get(id)
    // A parent chain that loops or breaks would be a damaged store; stop rather than spin.
    if (node === undefined || pathCache.size > byId.size) return []
    const path = [...pathOf(Number(node.parentID)), node.nodeName]
    pathCache.set(id, path)
    return path
  }
  const messageCount = new Map(messages.map((m) => [Number(m.channelId), Number(m.messages ?? 0)]))
  const allCount = new Map(messages.map((m) => [Number(m.channelId), Number(m.allMessages)]))
  const rolesOf = new Map<number, Record<string, number>>()
  let roleTotal = 0
  const overlapOf = new Map(overlap.map((o) => [Number(o.nodeID), Number(o.holders)]))
  for (const r of roles) {
    const entry = rolesOf.get(Number(r.nodeID)) ?? {}
    entry[r.role] = Number(r.holders)
    rolesOf.set(Number(r.nodeID), entry)
    roleTotal += Number(r.holders)
  }
  const categories: InventoryCategory[] = []
  const rooms: InventoryRoom[] = []
  for (const n of nodes) {
    const id = Number(n.nodeID)
    if (id === ROOT) continue
    if (Number(n.nodeType) === 1) {
      const path = pathOf(id)
      categories.push({ id, path, flattened: flattenedName(path), disabled: Number(n.disabled) === 1, invite: n.invite === null ? null : Number(n.invite) })
    } else {
      rooms.push({
        id, name: n.nodeName, categoryId: Number(n.parentID), categoryPath: pathOf(Number(n.parentID)),
        disabled: Number(n.disabled) === 1, invite: n.invite === null ? null : Number(n.invite),
        visibility: Number(n.visibility), behavior: Number(n.behavior),
        messages: messageCount.get(id) ?? 0, allMessages: allCount.get(id) ?? 0, roles: rolesOf.get(id) ?? {}, rootManagersHere: overlapOf.get(id) ?? 0,
        unprovisioned: unprovisionedOf.get(id) ?? 0, federated: federatedOf.get(id) ?? 0,
      })
    }
  }
  const count = (state: number) => principals.filter((p) => Number(p.prinDisabled) === state).reduce((a, p) => a + Number(p.principals), 0)
  return {
    cutoff,
    categories,
    rooms,
    principals: { active: count(0), sipDisabled: count(1), deleted: count(2) },
    rootManagers: rolesOf.get(ROOT)?.[MANAGER] ?? 0,
    accessControlEntries: Number(aces?.roles ?? 0) + Number(aces?.scopes ?? 0),
    totals: { categories: categories.length, rooms: rooms.length, messages: rooms.reduce((a, r) => a + r.messages, 0), allMessages: rooms.reduce((a, r) => a + r.allMessages, 0), roles: roleTotal },
  }
}
