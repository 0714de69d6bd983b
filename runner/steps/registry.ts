import { backupKind } from './backup.js'
import { checkTargetKind } from './check-target.js'
import { endpointKind, lookupAccountKind } from './directory.js'
import { exportKind } from './export.js'
import { fileStoreKind } from './filestore.js'
import { importKind } from './import.js'
import { inventoryKind } from './inventory.js'
import type { StepKind } from './kind.js'
import { lintKind } from './lint.js'
import { mappingsKind } from './mappings.js'
import { reportKind } from './report.js'
import { stopLegacyKind, targetServicesKind } from './services.js'
import { enableClientsKind, manualKind, powershellKind, removeTrustedApplicationKind, uninstallGroupChatKind, workDirKind } from './simple.js'
import { verifyKind } from './verify.js'

/** Every step kind by name; compile only emits kinds listed here (a test checks it). */
export const KINDS: Readonly<Record<string, StepKind>> = Object.fromEntries(
  [
    inventoryKind, checkTargetKind, lintKind, workDirKind, stopLegacyKind, backupKind, exportKind, targetServicesKind,
    importKind, fileStoreKind, mappingsKind, lookupAccountKind, endpointKind, verifyKind, enableClientsKind,
    uninstallGroupChatKind, removeTrustedApplicationKind, manualKind, powershellKind, reportKind,
  ].map((k) => [k.kind, k]),
)
