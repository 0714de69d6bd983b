/** What an emulated cmdlet receives and returns. */
import type { Command } from '../core/command.js'
import type { FaultInjector } from './faults.js'
import type { LabResult } from './result.js'

export interface CmdletContext {
  readonly labDir: string
  readonly command: Command
  /** The cmdlet's canonical name (the command may spell it in another case). */
  readonly cmdlet: string
  readonly faults: FaultInjector
  /** Call after durable work only: reports progress and lets a due crash fault fire. */
  progress(done: number, total: number, unit: string): Promise<void>
}

export type CmdletHandler = (ctx: CmdletContext) => Promise<LabResult>
