/** A RunContext for running one step kind in-process against a host, for the step tests. */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Host } from '../../runner/core/host.js'
import type { StepRecord } from '../../runner/state/types.js'
import type { RunContext } from '../../runner/steps/define.js'

/** `records`: earlier steps' records by id; everything a step does not use throws when called. */
export function stepContext(host: Host, records: Readonly<Record<string, StepRecord>> = {}, log: string[] = []): RunContext {
  const unused = (what: string) => () => { throw new Error(`the step test context has no ${what}`) }
  return {
    host,
    platform: undefined as unknown as RunContext['platform'],
    sql: unused('sql'),
    backups: undefined as unknown as RunContext['backups'],
    clock: undefined as unknown as RunContext['clock'],
    record: (id) => records[id],
    artifactsDir: mkdtempSync(join(tmpdir(), 'cutover-step-')),
    journal: unused('journal'),
    planState: undefined as unknown as RunContext['planState'],
    writeReport: unused('report'),
    signal: new AbortController().signal,
    progress: () => undefined,
    log: (line) => log.push(line),
  }
}
