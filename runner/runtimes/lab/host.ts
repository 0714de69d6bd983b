import { mkdir } from 'node:fs/promises'
import { isAbsolute, join, resolve } from 'node:path'
import type { LabEmulator } from '../../lab/index.js'
import type { Command, ParamValue } from '../../core/command.js'
import { InterruptedError } from '../../core/errors.js'
import type { CommandResult, Host, HostRunOptions } from '../../core/host.js'

/** Parameters that name files; plans write them relative to the plan file, the emulator wants them absolute. */
const PATH_PARAMS = new Set(['filename', 'report', 'path', 'destination'])

/**
 * The lab host: runs the same command objects the PowerShell host would render, in-process,
 * against the lab emulator (not a Lync deployment). Paths in the plan are relative to the plan
 * file, as the lab's workDir is.
 */
export class LabHost implements Host {
  readonly name = 'lab emulator'

  constructor(
    private readonly emulator: LabEmulator,
    private readonly planDir: string,
  ) {}

  async run(commands: readonly Command[], opts: HostRunOptions): Promise<CommandResult[]> {
    const results: CommandResult[] = []
    for (const command of commands) {
      interruptedBy(opts.signal)
      if (command.probe !== true) {
        results.push(await this.runOne(command, opts))
        continue
      }
      // A probe's failure is its result (templates/readiness.ps1.hbs catches it the same way).
      try {
        results.push(await this.runOne(command, opts))
      } catch (e) {
        if (e instanceof InterruptedError || (e instanceof Error && e.name === 'LabInterruptedError') || opts.signal?.aborted === true) throw e
        results.push({ output: [], data: { failed: e instanceof Error ? e.message : String(e) } })
      }
    }
    return results
  }

  private async runOne(command: Command, opts: HostRunOptions): Promise<CommandResult> {
    if (command.cmdlet === 'New-Item') {
      // The one host-level command: the work folder. The lab's file system is this machine's.
      const path = this.resolvePath(command.params.find(([n]) => n === 'Path')?.[1])
      await mkdir(path, { recursive: true })
      return { output: [`lab emulator: created folder ${path}`] }
    }
    if (command.cmdlet === 'Invoke-Command') {
      throw new Error('the lab emulator cannot run a custom PowerShell script (decommission: powershell); it runs on a real Lync server only')
    }
    const params = command.params.map(([name, value]): readonly [string, ParamValue] => [name, PATH_PARAMS.has(name.toLowerCase()) ? this.resolvePath(value) : value])
    // The emulator runs in this process: Ctrl-C stops it at its next progress report, part-way,
    // as a crash would.
    const result = await this.emulator.run({ ...command, params }, (p) => opts.progress(p.done, p.total, p.unit), opts.signal)
    return { output: result.output, ...(result.data === undefined ? {} : { data: result.data }), ...(result.warnings === undefined ? {} : { warnings: result.warnings }) }
  }

  private resolvePath(value: ParamValue | undefined): string {
    if (typeof value !== 'string') throw new Error('lab emulator: a path parameter must be text')
    // Keep PowerShell's trailing \* ("the contents of") while making the folder absolute.
    const wildcard = /[\\/]\*$/.test(value)
    const base = wildcard ? value.slice(0, -2) : value
    const abs = isAbsolute(base) ? base : resolve(this.planDir, base.replace(/\\/g, '/'))
    return wildcard ? join(abs, '*') : abs
  }

  async close(): Promise<void> {
    // In-process: nothing to close.
  }
}

function interruptedBy(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new InterruptedError('lab emulator: interrupted')
}
