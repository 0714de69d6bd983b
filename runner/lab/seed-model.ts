/**
 * The lab emulator's seeded Group Chat content, minus the messages: add-ins, principals,
 * categories and rooms, roles and scopes. Small (a few thousand rows for a thousand rooms), so it
 * is built in memory; messages are streamed from it by seed-messages.ts.
 */
import { flattenedName, nameKey } from '../plan/names.js'
import { LAB_NAMES } from './lab-names.js'
import { Random } from './random.js'
import { BEHAVIOR, NODE_TYPE, PRINCIPAL_STATE, PRINCIPAL_TYPE, ROLE, ROOT_NODE_ID, VISIBILITY } from './schema.js'
import type { RoleId } from './schema.js'
import { ADDINS, DEPARTMENTS, FIRST_NAMES, FIXED_TREE, FOLDERS, GROUPS, SECOND_TREE, INVITATION_CONFLICT_ROOM, LAST_NAMES, ROOM_NOUNS, ROOM_WORDS, SUBCATEGORIES, asciiName } from './seed-names.js'
import type { FixedCategory, FixedRoom } from './seed-names.js'

export interface SeedNode {
  readonly id: number
  readonly guid: string
  readonly parentId: number
  readonly type: 0 | 1
  readonly name: string
  readonly description: string | null
  readonly invite: 0 | 1 | null
  readonly logged: 0 | 1 | null
  readonly filePost: 0 | 1 | null
  readonly disabled: 0 | 1
  readonly behavior: 4 | 5
  readonly visibility: 2 | 3 | 6
  readonly siopId: number | null
  readonly addedBy: number
  readonly addedOn: number
  readonly updatedOn: number
  readonly topic: string | null
  /** Names from the top-level category down to this node. */
  readonly path: readonly string[]
  readonly hasFiles: boolean
}

export interface SeedPrincipal {
  readonly id: number
  readonly guid: string
  readonly uri: string | null
  readonly name: string
  readonly displayName: string
  readonly email: string | null
  readonly disabled: 0 | 1 | 2
  readonly type: 4 | 5 | 9 | 10
}

export interface SeedRole {
  readonly nodeId: number
  readonly prinId: number
  readonly roleId: RoleId
}

export interface SeedScope {
  readonly nodeId: number
  readonly prinId: number
  readonly denied: 0 | 1
}

export interface SeedModel {
  readonly addins: readonly { readonly id: number; readonly name: string; readonly url: string }[]
  readonly principals: readonly SeedPrincipal[]
  /** Categories and rooms (not the root), parents before children. */
  readonly nodes: readonly SeedNode[]
  readonly roles: readonly SeedRole[]
  readonly scopes: readonly SeedScope[]
  /** Who writes in each room: its user members, or a few users when it has none. */
  readonly authors: ReadonlyMap<number, readonly number[]>
}

const DAY = 86_400_000
const CATEGORIES_FROM = Date.UTC(2012, 0, 1)
const ROOMS_FROM = Date.UTC(2014, 0, 1)
const ROOMS_UNTIL = Date.UTC(2023, 5, 30)

/** How many rooms FIXED_TREE holds: the least a lab can have. */
export function fixedRoomCount(tree: readonly FixedCategory[] = FIXED_TREE): number {
  return tree.reduce((n, c) => n + (c.rooms?.length ?? 0) + fixedRoomCount(c.children ?? []), 0)
}

class ModelBuilder {
  readonly addins = ADDINS.map((a, i) => ({ id: i + 1, name: a.name, url: a.url }))
  readonly principals: SeedPrincipal[] = []
  readonly nodes: SeedNode[] = []
  readonly roles: SeedRole[] = []
  readonly scopes: SeedScope[] = []
  readonly users: SeedPrincipal[] = []
  readonly federated: SeedPrincipal[] = []
  readonly groups: SeedPrincipal[] = []
  readonly folders: SeedPrincipal[] = []
  private readonly roleKeys = new Set<string>()
  private readonly scopeKeys = new Set<string>()
  private readonly flatNames = new Set<string>()
  private readonly byId = new Map<number, SeedNode>()
  private nextNodeId = ROOT_NODE_ID + 1

  constructor(private readonly r: Random) {}

  principal(p: Omit<SeedPrincipal, 'id' | 'guid'>): SeedPrincipal {
    const full = { id: this.principals.length + 1, guid: this.r.guid(), ...p }
    this.principals.push(full)
    return full
  }

  addPrincipals(roomCount: number): void {
    this.principal({ uri: `sip:groupchat.system@${LAB_NAMES.sipDomain}`, name: 'LAB\\svc-groupchat', displayName: 'Group Chat System', email: null, disabled: 0, type: PRINCIPAL_TYPE.system })
    const userCount = Math.max(40, Math.min(roomCount * 2, 5000))
    for (let i = 0; i < userCount; i++) {
      const first = this.r.pick(FIRST_NAMES)
      const last = this.r.pick(LAST_NAMES)
      const handle = `${asciiName(first)}.${asciiName(last)}.${i + 1}`
      // Users 3-4 are SIP-disabled and 5-6 deleted from AD, whatever the seed, so each kind always exists.
      const disabled = i === 3 || i === 4 ? 1 : i === 5 || i === 6 ? 2 : i < 7 ? 0 : this.r.chance(0.03) ? 1 : this.r.chance(0.02) ? 2 : 0
      this.users.push(
        this.principal({ uri: `sip:${handle}@${LAB_NAMES.sipDomain}`, name: `LAB\\${handle}`, displayName: `${first} ${last}`, email: `${handle}@${LAB_NAMES.sipDomain}`, disabled: disabled as 0 | 1 | 2, type: PRINCIPAL_TYPE.user }),
      )
    }
    for (let i = 0; i < 3 + Math.floor(roomCount / 100); i++) {
      this.federated.push(this.principal({ uri: `sip:partner${i + 1}@fabrikam.com`, name: `partner${i + 1}@fabrikam.com`, displayName: `Partner ${i + 1} (Fabrikam)`, email: `partner${i + 1}@fabrikam.com`, disabled: 0, type: PRINCIPAL_TYPE.user }))
    }
    for (const g of GROUPS) this.groups.push(this.principal({ uri: null, name: g, displayName: g.slice(4), email: null, disabled: 0, type: PRINCIPAL_TYPE.group }))
    for (const f of FOLDERS) this.folders.push(this.principal({ uri: null, name: f, displayName: f.split(',')[0]?.slice(3) ?? f, email: null, disabled: 0, type: PRINCIPAL_TYPE.folder }))
  }

  user(index: number): SeedPrincipal {
    const u = this.users[index]
    if (u === undefined) throw new RangeError(`no user ${index}`)
    return u
  }

  role(nodeId: number, principal: SeedPrincipal, roleId: RoleId): void {
    const key = `${nodeId}/${principal.id}/${roleId}`
    if (this.roleKeys.has(key)) return
    this.roleKeys.add(key)
    this.roles.push({ nodeId, prinId: principal.id, roleId })
  }

  scope(nodeId: number, principal: SeedPrincipal, denied: 0 | 1): void {
    const key = `${nodeId}/${principal.id}`
    if (this.scopeKeys.has(key)) return
    this.scopeKeys.add(key)
    this.scopes.push({ nodeId, prinId: principal.id, denied })
  }

  /** A name unique once flattened (and case-folded, as SQL Server compares), so no two legacy
   * items overwrite each other on import by accident; the lab's trouble is all on purpose. */
  private uniqueName(parentPath: readonly string[], name: string): string {
    let candidate = name
    for (let n = 2; this.flatNames.has(nameKey(flattenedName([...parentPath, candidate]))); n++) candidate = `${name} ${n}`
    this.flatNames.add(nameKey(flattenedName([...parentPath, candidate])))
    return candidate
  }

  category(parentId: number, name: string, invite: 0 | 1, description: string | null): SeedNode {
    const parentPath = this.byId.get(parentId)?.path ?? []
    const unique = this.uniqueName(parentPath, name)
    const addedOn = CATEGORIES_FROM + this.r.int(3 * 365) * DAY + this.r.int(DAY / 1000) * 1000
    return this.add({
      id: this.nextNodeId++, guid: this.r.guid(), parentId, type: NODE_TYPE.category, name: unique, description, invite,
      logged: 1, filePost: this.r.chance(0.5) ? 1 : 0, disabled: 0, behavior: BEHAVIOR.normal, visibility: VISIBILITY.open, siopId: null,
      addedBy: this.pickUser(true).id, addedOn, updatedOn: addedOn + this.r.int(400) * DAY, topic: null, path: [...parentPath, unique], hasFiles: false,
    })
  }

  room(parentId: number, spec: FixedRoom): SeedNode {
    const parent = this.byId.get(parentId)
    if (parent === undefined) throw new RangeError(`no category ${parentId}`)
    const unique = this.uniqueName(parent.path, spec.name)
    const addedOn = ROOMS_FROM + this.r.int((ROOMS_UNTIL - ROOMS_FROM) / DAY) * DAY + this.r.int(DAY / 1000) * 1000
    const visibility = spec.visibility ?? this.r.pick([VISIBILITY.open, VISIBILITY.open, VISIBILITY.open, VISIBILITY.scoped, VISIBILITY.scoped, VISIBILITY.private])
    const invite = spec.invite !== undefined ? spec.invite : parent.invite === 1 ? this.r.pick([null, null, 0, 1] as const) : this.r.pick([null, null, 0] as const)
    return this.add({
      id: this.nextNodeId++, guid: this.r.guid(), parentId, type: NODE_TYPE.room, name: unique, description: spec.description ?? (this.r.chance(0.5) ? `About ${unique}` : null), invite,
      logged: null, filePost: null, disabled: spec.disabled === true ? 1 : 0, behavior: spec.auditorium === true ? BEHAVIOR.auditorium : BEHAVIOR.normal, visibility,
      siopId: this.r.chance(0.1) ? this.r.pick(this.addins).id : null, addedBy: this.pickUser(true).id, addedOn, updatedOn: addedOn + this.r.int(300) * DAY,
      topic: this.r.chance(0.3) ? `Topic of ${unique}` : null, path: [...parent.path, unique], hasFiles: spec.files === true,
    })
  }

  private add(node: SeedNode): SeedNode {
    this.nodes.push(node)
    this.byId.set(node.id, node)
    return node
  }

  pickUser(activeOnly: boolean): SeedPrincipal {
    for (;;) {
      const u = this.r.pick(this.users)
      if (!activeOnly || u.disabled === PRINCIPAL_STATE.active) return u
    }
  }

  fixedTree(parentId: number, tree: readonly FixedCategory[]): void {
    for (const c of tree) {
      const category = this.category(parentId, c.name, c.invite, c.description ?? null)
      for (const room of c.rooms ?? []) this.room(category.id, room)
      this.fixedTree(category.id, c.children ?? [])
    }
  }

  genericTree(roomCount: number): void {
    const fixedTop = this.nodes.filter((n) => n.parentId === ROOT_NODE_ID && n.name !== LAB_NAMES.archiveCategory)
    const generic: SeedNode[] = []
    const categoryCount = Math.max(3, Math.ceil(roomCount / 6))
    for (let i = 0; i < categoryCount; i++) {
      const parents = generic.filter((g) => g.path.length < 4)
      if (i < DEPARTMENTS.length || parents.length === 0 || this.r.chance(0.3)) {
        const name = DEPARTMENTS[i % DEPARTMENTS.length] ?? 'Department'
        generic.push(this.category(ROOT_NODE_ID, i < DEPARTMENTS.length ? name : `${name} ${Math.floor(i / DEPARTMENTS.length) + 1}`, this.r.chance(0.5) ? 1 : 0, null))
      } else {
        generic.push(this.category(this.r.pick(parents).id, this.r.pick(SUBCATEGORIES), this.r.chance(0.5) ? 1 : 0, this.r.chance(0.3) ? 'Team rooms' : null))
      }
    }
    const homes = [...generic, ...generic, ...fixedTop]
    for (let i = 0; i < roomCount; i++) {
      const home = this.r.pick(homes)
      this.room(home.id, { name: `${this.r.pick(ROOM_WORDS)} ${this.r.pick(ROOM_NOUNS)} ${i + 1}`, disabled: this.r.chance(0.04), auditorium: this.r.chance(0.06) })
    }
  }

  /** Who holds which role: random across all users (so SIP-disabled and deleted ones hold some),
   * plus (`trouble`: the first pool's FIXED_TREE) the trouble every lab has whatever the seed. */
  assignRoles(trouble: boolean): void {
    const categories = this.nodes.filter((n) => n.type === NODE_TYPE.category)
    const rooms = this.nodes.filter((n) => n.type === NODE_TYPE.room)
    const named = (name: string): SeedNode => {
      const node = this.nodes.find((n) => n.name === name)
      if (node === undefined) throw new RangeError(`no node ${name}`)
      return node
    }
    // Root-category managers: the import makes them managers of every room. One is SIP-disabled.
    this.role(ROOT_NODE_ID, this.user(0), ROLE.manager)
    this.role(ROOT_NODE_ID, this.user(3), ROLE.manager)
    for (const c of categories) {
      for (let i = this.r.between(1, 2); i > 0; i--) this.role(c.id, this.pickUser(false), ROLE.creator)
      for (let i = this.r.between(0, 1); i > 0; i--) this.role(c.id, this.pickUser(false), ROLE.manager)
    }
    const engineering = trouble ? named('Engineering') : undefined
    if (engineering !== undefined) {
      this.role(engineering.id, this.user(1), ROLE.manager)
      this.role(engineering.id, this.user(2), ROLE.manager)
    }
    for (const room of rooms) {
      const members = room.visibility === VISIBILITY.open ? this.r.between(0, 3) : this.r.between(3, 10)
      for (let i = 0; i < members; i++) this.role(room.id, this.pickUser(false), ROLE.member)
      if (this.r.chance(0.1)) this.role(room.id, this.r.pick(this.groups), ROLE.member)
      for (let i = this.r.between(1, 2); i > 0; i--) this.role(room.id, this.pickUser(false), ROLE.manager)
      if (room.behavior === BEHAVIOR.auditorium) for (let i = this.r.between(1, 3); i > 0; i--) this.role(room.id, this.pickUser(false), ROLE.presenter)
      if (this.r.chance(0.05)) this.role(room.id, this.r.pick(this.federated), ROLE.member)
    }
    if (trouble) {
      this.role(named('Code review ‘daily’').id, this.user(3), ROLE.member)
      this.role(named('Pipeline review').id, this.user(4), ROLE.manager)
      this.role(named('Don’t panic').id, this.user(5), ROLE.member)
      this.role(named('All-hands ‘town hall’').id, this.user(6), ROLE.presenter)
      for (const f of this.federated) this.role(named(INVITATION_CONFLICT_ROOM).id, f, ROLE.member)
      this.role(named('Release train').id, this.federated[0] ?? this.user(0), ROLE.member)
    }

    const top = categories.filter((c) => c.parentId === ROOT_NODE_ID)
    for (const c of top) this.scope(c.id, this.r.pick(this.groups), 0)
    if (engineering !== undefined) {
      this.scope(engineering.id, this.groups[1] ?? this.user(0), 0)
      this.scope(engineering.id, this.folders[0] ?? this.user(0), 0)
      this.scope(named('Sales').id, this.user(8), 1)
      this.scope(named('O\'Brien’s ‘Team’').id, this.user(6), 1)
    }
    for (const c of categories) if (c.parentId !== ROOT_NODE_ID && this.r.chance(0.2)) this.scope(c.id, this.r.pick(this.folders), 0)
  }

  authors(): Map<number, readonly number[]> {
    const byRoom = new Map<number, number[]>()
    const userIds = new Set([...this.users, ...this.federated].map((u) => u.id))
    for (const role of this.roles) {
      if (!userIds.has(role.prinId)) continue
      const list = byRoom.get(role.nodeId) ?? []
      if (!list.includes(role.prinId)) list.push(role.prinId)
      byRoom.set(role.nodeId, list)
    }
    const authors = new Map<number, readonly number[]>()
    for (const room of this.nodes) {
      if (room.type !== NODE_TYPE.room) continue
      const members = byRoom.get(room.id) ?? []
      authors.set(room.id, members.length >= 2 ? members : [...members, ...this.r.sample(this.users, 5).map((u) => u.id)])
    }
    return authors
  }
}

/** Builds everything but the messages; same seed and room count, same model. */
export function buildModel(seed: number, roomCount: number): SeedModel {
  const b = new ModelBuilder(new Random(seed))
  b.addPrincipals(roomCount)
  b.fixedTree(ROOT_NODE_ID, FIXED_TREE)
  b.genericTree(roomCount - fixedRoomCount())
  b.assignRoles(true)
  return { addins: b.addins, principals: b.principals, nodes: b.nodes, roles: b.roles, scopes: b.scopes, authors: b.authors() }
}

/** The second legacy pool's model (`lab init --legacy-pools 2`): SECOND_TREE only, from its own
 * stream of the seed, so the first pool is the same with or without it. */
export function buildSecondModel(seed: number): SeedModel {
  const b = new ModelBuilder(new Random(seed, 2))
  b.addPrincipals(0)
  b.fixedTree(ROOT_NODE_ID, SECOND_TREE)
  b.assignRoles(false)
  return { addins: b.addins, principals: b.principals, nodes: b.nodes, roles: b.roles, scopes: b.scopes, authors: b.authors() }
}
