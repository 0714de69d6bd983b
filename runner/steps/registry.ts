import type { JsonObject } from '../core/json.js'
import type { StepKind } from './define.js'
import { backupKind } from './kinds/backup.js'
import { checkTargetKind } from './kinds/check-target.js'
import { checkpointKind } from './kinds/checkpoint.js'
import { disableRoomsKind } from './kinds/disable-rooms.js'
import { enableClientsKind } from './kinds/enable-clients.js'
import { endpointKind } from './kinds/endpoint.js'
import { exportKind } from './kinds/export.js'
import { fileStoreKind } from './kinds/filestore.js'
import { importKind } from './kinds/import.js'
import { inventoryKind } from './kinds/inventory.js'
import { lintKind } from './kinds/lint.js'
import { lookupAccountKind } from './kinds/lookup-account.js'
import { manualKind } from './kinds/manual.js'
import { mappingsKind } from './kinds/mappings.js'
import { powershellKind } from './kinds/powershell.js'
import { readinessKind } from './kinds/readiness.js'
import { removeTrustedApplicationKind } from './kinds/remove-trusted-application.js'
import { reportKind } from './kinds/report.js'
import { stopLegacyKind } from './kinds/stop-legacy.js'
import { targetServicesKind } from './kinds/target-services.js'
import { uninstallGroupChatKind } from './kinds/uninstall-groupchat.js'
import { verifyKind } from './kinds/verify.js'
import { workDirKind } from './kinds/workdir.js'

/** Every step kind, one per module of steps/kinds/ (a test checks none is missing). Adding a kind
 * is its module and one line here. */
export const KINDS = [
  inventoryKind, checkTargetKind, lintKind, disableRoomsKind, workDirKind, stopLegacyKind, backupKind, exportKind, targetServicesKind,
  importKind, fileStoreKind, mappingsKind, lookupAccountKind, endpointKind, verifyKind, enableClientsKind,
  uninstallGroupChatKind, removeTrustedApplicationKind, manualKind, powershellKind, reportKind, readinessKind,
  checkpointKind,
] as const

/** Any registered kind. */
export type AnyKind = (typeof KINDS)[number]

/** The name of a registered kind: a union, so a name no kind has is a type error. */
export type KindName = AnyKind['kind']

/** The kind of the given name, for the engine and the preview (which read step.kind from a
 * compiled step); undefined for a name no kind has. */
export function kindNamed(name: string): StepKind<string, JsonObject> | undefined {
  return KINDS.find((k) => k.kind === name)
}
