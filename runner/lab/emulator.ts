/**
 * The lab emulator: runs cutover's Command objects in-process against the lab's SQLite stores and
 * lab.json, the way the PowerShell host runs them on real Lync servers. It emulates the cmdlets
 * the migration uses, with their parameter names; anything else fails as PowerShell would.
 */
import type { Command } from '../core/command.js'
import type { CmdletContext, CmdletHandler } from './cmdlet.js'
import { getPersistentChatEndpoint, getCsUser, disableCsUser, enableCsUser, newPersistentChatEndpoint, removePersistentChatEndpoint } from './cmdlets/directory.js'
import { exportData } from './cmdlets/export.js'
import { copyItem, removeItem } from './cmdlets/files.js'
import { importData } from './cmdlets/import.js'
import { getPersistentChatPolicy, setPersistentChatPolicy } from './cmdlets/policies.js'
import { getPersistentChatRoom, removePersistentChatRoom, setPersistentChatCategory, setPersistentChatRoom } from './cmdlets/rooms.js'
import { getCsWindowsService, getService, startCsWindowsService, startService, stopCsWindowsService, stopService } from './cmdlets/services.js'
import { getCsPool, getCsService, getGroupMembership, getItem, getPsDrive, testWsman } from './cmdlets/readiness.js'
import { enableTopology, getTrustedApplicationPool, removeTrustedApplicationPool } from './cmdlets/topology.js'
import { LabCommandError, LabInterruptedError } from './errors.js'
import { FAULTS_ENV, FaultInjector, parseFaults } from './faults.js'
import type { LabResult, ProgressListener } from './result.js'

const CMDLETS: Readonly<Record<string, CmdletHandler>> = {
  'Get-Service': getService,
  'Stop-Service': stopService,
  'Start-Service': startService,
  'Get-CsWindowsService': getCsWindowsService,
  'Stop-CsWindowsService': stopCsWindowsService,
  'Start-CsWindowsService': startCsWindowsService,
  'Export-CsPersistentChatData': exportData,
  'Import-CsPersistentChatData': importData,
  'Copy-Item': copyItem,
  'Remove-Item': removeItem,
  'Get-CsUser': getCsUser,
  'Disable-CsUser': disableCsUser,
  'Enable-CsUser': enableCsUser,
  'New-CsPersistentChatEndpoint': newPersistentChatEndpoint,
  'Get-CsPersistentChatEndpoint': getPersistentChatEndpoint,
  'Remove-CsPersistentChatEndpoint': removePersistentChatEndpoint,
  'Get-CsPersistentChatRoom': getPersistentChatRoom,
  'Set-CsPersistentChatRoom': setPersistentChatRoom,
  'Remove-CsPersistentChatRoom': removePersistentChatRoom,
  'Set-CsPersistentChatCategory': setPersistentChatCategory,
  'Get-CsPersistentChatPolicy': getPersistentChatPolicy,
  'Set-CsPersistentChatPolicy': setPersistentChatPolicy,
  'Get-CsTrustedApplicationPool': getTrustedApplicationPool,
  'Remove-CsTrustedApplicationPool': removeTrustedApplicationPool,
  'Enable-CsTopology': enableTopology,
  'Get-CsPool': getCsPool,
  'Get-CsService': getCsService,
  'Test-WSMan': testWsman,
  'Get-Item': getItem,
  'Get-PSDrive': getPsDrive,
  'Get-CutoverGroupMembership': getGroupMembership,
}

/** The cmdlets the lab emulator knows, by their canonical names. */
export const EMULATED_CMDLETS: readonly string[] = Object.keys(CMDLETS)

export interface LabEmulatorOptions {
  /** A fault list (faults.ts); defaults to the CUTOVER_LAB_FAULTS environment variable. */
  readonly faults?: string
}

export class LabEmulator {
  private readonly faults: FaultInjector
  /** Commands run one at a time, as they would in one PowerShell session. */
  private queue: Promise<unknown> = Promise.resolve()

  /** Throws a LabError when the fault list is malformed. */
  constructor(
    readonly labDir: string,
    options: LabEmulatorOptions = {},
  ) {
    this.faults = new FaultInjector(labDir, parseFaults(options.faults ?? process.env[FAULTS_ENV], EMULATED_CMDLETS))
  }

  /** Runs one command; throws LabCommandError where the real cmdlet would fail. `signal` stops
   * it at its next progress report (as Ctrl-C stops a script), with LabInterruptedError. */
  run(command: Command, progress?: ProgressListener, signal?: AbortSignal): Promise<LabResult> {
    const result = this.queue.then(() => this.execute(command, progress, signal))
    this.queue = result.catch(() => undefined)
    return result
  }

  private async execute(command: Command, progress: ProgressListener | undefined, signal: AbortSignal | undefined): Promise<LabResult> {
    const cmdlet = EMULATED_CMDLETS.find((c) => c.toLowerCase() === command.cmdlet.toLowerCase())
    const handler = cmdlet === undefined ? undefined : CMDLETS[cmdlet]
    if (cmdlet === undefined || handler === undefined) {
      throw new LabCommandError(command.cmdlet, `The term '${command.cmdlet}' is not recognized as the name of a cmdlet, function, script file, or operable program (the lab emulator knows ${EMULATED_CMDLETS.join(', ')}).`)
    }
    const ctx: CmdletContext = {
      labDir: this.labDir,
      command,
      cmdlet,
      faults: this.faults,
      progress: async (done, total, unit) => {
        progress?.({ done, total, unit })
        await this.faults.checkpoint(cmdlet, done, total, signal)
        if (signal?.aborted === true) throw new LabInterruptedError(cmdlet, `stopped after ${done} of ${total} ${unit} (interrupted)`)
      },
    }
    await this.faults.beforeInvocation(cmdlet)
    await this.faults.checkpoint(cmdlet, 0, 1, signal)
    if (signal?.aborted === true) throw new LabInterruptedError(cmdlet, 'not started (interrupted)')
    const result = await handler(ctx)
    await this.faults.checkpoint(cmdlet, 1, 1, signal)
    return result
  }
}
