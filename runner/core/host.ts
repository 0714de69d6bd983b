import type { Command } from './command.js'

export interface CommandResult {
  readonly output: readonly string[]
  readonly data?: Readonly<Record<string, unknown>>
  readonly warnings?: readonly string[]
}

export interface HostRunOptions {
  readonly stepId: string
  /** Aborted on Ctrl-C: the host stops what it runs (a script's whole process tree) and rejects
   * with InterruptedError. */
  readonly signal?: AbortSignal
  progress(done: number, total: number, unit: string): void
  log(line: string): void
}

/** Where commands run: the PowerShell host on a Lync server, or the lab host in-process. */
export interface Host {
  readonly name: string
  /** Runs a batch of commands in order, as one script on a real host (one PowerShell start and
   * one Import-Module per batch, not per command); stops at the first error and rejects with it.
   * Returns one result per command. */
  run(commands: readonly Command[], opts: HostRunOptions): Promise<CommandResult[]>
  close(): Promise<void>
}
