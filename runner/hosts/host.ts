import type { Command } from './command.js'

export interface CommandResult {
  readonly output: readonly string[]
  readonly data?: Readonly<Record<string, unknown>>
  readonly warnings?: readonly string[]
}

export interface HostRunOptions {
  readonly stepId: string
  progress(done: number, total: number, unit: string): void
  log(line: string): void
}

/** Where commands run: the PowerShell host on a Lync server, or the lab host in-process. */
export interface Host {
  readonly name: string
  /** Runs one command; rejects with the command's error. */
  run(command: Command, opts: HostRunOptions): Promise<CommandResult>
  close(): Promise<void>
}
