/**
 * The typed plan, as `loadPlan` returns it after schema validation with defaults applied.
 * It mirrors migration.schema.json, which stays the single source of truth:
 * test/unit/schema-types.test.ts checks, object by object, that both have the same properties,
 * optional here exactly where the schema neither requires nor defaults them, and the same literals.
 */

export const SHELLS = ['powershell', 'pwsh', 'lab'] as const
export type Shell = (typeof SHELLS)[number]

export const PRODUCTS = ['lync2010-groupchat', 'ocs2007r2-groupchat'] as const
export type Product = (typeof PRODUCTS)[number]

export type Privacy = 'open' | 'closed' | 'secret'
export type UnmappedPolicy = 'migrate' | 'skip' | 'error'
/** What Import -WhatIf warnings do to the run (rooms.importWarnings). */
export type ImportWarningsPolicy = 'stop' | 'accept'

export interface Environment {
  readonly shell: Shell
  readonly lyncModule: string
  readonly workDir: string
  readonly remote?: string
  /** With `remote`: how the session authenticates (the second hop); absent means `default`. */
  readonly remoting?: Remoting
  /** A duration (2h, 90m): parseDuration. */
  readonly scriptTimeout: string
}

export const REMOTING_AUTHENTICATIONS = ['default', 'credssp'] as const
export type RemotingAuthentication = (typeof REMOTING_AUTHENTICATIONS)[number]

export interface RemotingCredential {
  readonly user: string
  /** Always `${env:NAME}` (the schema says so): read by the launcher from its environment. */
  readonly password: string
}

export interface Remoting {
  readonly authentication: RemotingAuthentication
  readonly credential?: RemotingCredential
}

export interface DatabaseRef {
  readonly instance: string
  readonly name: string
  /** Where cutover's SQL Server backups of this store go, as the SQL Server service sees it. */
  readonly backupDirectory?: string
}

export interface Source {
  readonly id: string
  readonly product: Product
  readonly pool: string
  readonly servers: readonly string[]
  readonly services?: readonly string[]
  readonly database: DatabaseRef
  readonly connection?: string
  readonly lookupAccount: string
  readonly fileStore?: string
}

export interface Target {
  readonly pool: string
  readonly servers: readonly string[]
  readonly services?: readonly string[]
  readonly database: DatabaseRef
  readonly connection?: string
  readonly fileStore?: string
}

export interface CategoryMapping {
  readonly source: string
  readonly from: string
  readonly to?: string
  readonly export: boolean
}

export interface RoomMapping {
  readonly source: string
  readonly room: string
  readonly action: 'migrate' | 'skip' | 'disable'
  readonly rename?: string
  readonly category?: string
  readonly privacy?: Privacy
  readonly disabled?: boolean
  readonly description?: string
}

export interface Rooms {
  readonly cutoff?: string
  readonly unmapped: UnmappedPolicy
  readonly importWarnings: ImportWarningsPolicy
  readonly categories: readonly CategoryMapping[]
  readonly map: readonly RoomMapping[]
}

export interface Downtime {
  readonly start: string
  readonly end: string
  readonly timezone: string
  readonly margin: string
}

export interface LegacyClients {
  readonly endpoint: string
  readonly displayName: string
}

export interface Clients {
  readonly enablePolicy: string
}

export type DecommissionStep =
  | { readonly 'uninstall-groupchat': { readonly servers: readonly string[] } }
  | { readonly 'remove-trusted-application': { readonly pool: string } }
  | { readonly manual: { readonly title: string; readonly instructions: string } }
  | { readonly powershell: { readonly title: string; readonly script: string } }

export interface StateConfig {
  readonly backend: 'file' | 'mssql'
  readonly connection?: string
  readonly database: string
}

export interface Plan {
  readonly version: 1
  readonly name: string
  readonly environment: Environment
  readonly sources: readonly Source[]
  readonly target: Target
  readonly rooms: Rooms
  readonly downtime: Downtime
  readonly legacyClients?: LegacyClients
  readonly clients?: Clients
  readonly decommission: readonly DecommissionStep[]
  /** Manual pauses placed right before a named step (`cutover plan` lists the ids). */
  readonly checkpoints: readonly Checkpoint[]
  readonly state: StateConfig
}

/** A go/no-go the run pauses at until `cutover approve`, right before the step `before`. */
export interface Checkpoint {
  readonly before: string
  readonly title: string
  readonly instructions: string
}
