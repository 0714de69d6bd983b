/**
 * Crash and resume through the real PowerShell host, one kill per trait class, all in one run (a
 * whole pwsh run per kill cost two minutes of CI for the same three checks): killed mid-export
 * (idempotent: runs again), mid-import (recovered: the pre-import backup is restored, then the
 * import runs again, never twice on itself), and right after a step that cannot run twice did
 * its work (New-CsPersistentChatEndpoint: settled by its postcondition, not run again). The
 * emulator runs under pwsh, so a crash fault kills the apply as well (CUTOVER_LAB_RUN_PID), as a
 * power cut would. The run ends with the stores of an uninterrupted lab-host run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/cli.js'
import { checkResumedAfter, MATRIX_LAB, reference, resumeUntilDone } from '../helpers/crash-matrix.js'
import type { Crash, Reference } from '../helpers/crash-matrix.js'
import { apply, countEvents, journal, said, status } from '../helpers/crash.js'
import { labCase } from '../helpers/lab.js'
import type { LabCase } from '../helpers/lab.js'
import { pwshForSuite } from './locate.js'
import { generateStubModule } from './stubs/generate.js'

// test/pwsh/lab-pwsh.yaml under the lab plan's name and folder, so the crash helpers find its files.
const PLAN_TEXT = (): string => readFileSync(join(ROOT, 'test', 'pwsh', 'lab-pwsh.yaml'), 'utf8').replaceAll('.cutover/lab-pwsh', '.cutover/lab').replace(/^name: lab-pwsh$/m, 'name: lab')

const CASES = [
  { trait: 'idempotent', fault: 'crash:Export-CsPersistentChatData@0.5', step: 'cutover.export.gc2010', settled: false, until: undefined },
  // Up to the -WhatIf import first: the fault would otherwise fire in the -WhatIf run.
  { trait: 'recovered from a backup', fault: 'crash:Import-CsPersistentChatData@0.5', step: 'cutover.import.gc2010', settled: false, until: 'cutover.import-whatif.gc2010' },
  { trait: 'cannot run twice', fault: 'crash:New-CsPersistentChatEndpoint@1', step: 'cutover.endpoint', settled: true, until: undefined },
] as const

describe('crash and resume through pwsh', () => {
  const pwsh = pwshForSuite('test/pwsh/lab-crash.test.ts')
  if (pwsh === undefined) return
  let dir = ''
  let env: Record<string, string> = {}
  let ref: Reference
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cutover-pwshcrash-'))
    const module = join(dir, 'Lync.psm1')
    writeFileSync(module, '\uFEFF' + generateStubModule(undefined, { shims: true }).text)
    env = { CUTOVER_LAB_PWSH_MODULE: module, CUTOVER_LAB_PWSH_SHELL: pwsh, CUTOVER_CLOCK: '2026-12-05T22:05:00-05:00' }
    ref = await reference()
  }, 600_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  /** Applies with `fault` (fires once per lab) and checks the process died while `step` ran. */
  async function kill(c: LabCase, k: (typeof CASES)[number]): Promise<Crash> {
    const crashed = await apply(c, { ...env, CUTOVER_LAB_FAULTS: k.fault })
    expect(crashed.signal, `${k.fault}: ${said(crashed)}`).toBe('SIGKILL')
    const crashEvents = journal(c)
    const last = crashEvents[crashEvents.length - 1]
    expect([last?.event, last?.step], `${k.fault}: the process died while the step ran`).toEqual(['step-start', k.step])
    expect((await status(c)).steps.find((s) => s.id === k.step)?.status).toBe('running')
    return { killed: { id: k.step, at: 'mid-work', settled: k.settled }, crashEvents }
  }

  it(`one run killed in ${CASES.map((k) => `${k.step} (${k.trait})`).join(', ')}, applied again after each kill [slow]`, async () => {
    const c = await labCase({ ...MATRIX_LAB, edit: PLAN_TEXT })
    const crashes: Crash[] = []
    for (const k of CASES) {
      if (k.until !== undefined) {
        // Resumes the previous kill up to k.until, so k's fault fires in the step it is meant for.
        const upTo = await apply(c, env, ['--until', k.until])
        expect(upTo.code, said(upTo)).toBe(3) // paused at --until
        expect(upTo.stdout, 'a pause at --until, not a step asking for resolve').not.toContain('cutover resolve')
      }
      crashes.push(await kill(c, k))
    }
    const last = crashes[crashes.length - 1]
    if (last === undefined) throw new Error('no kill')
    const log = await resumeUntilDone(c, last.killed, env)
    expect(log.askedToResolve).toEqual([])
    // Recovered (the pre-import backup restored) before it imported again, once.
    expect(countEvents(journal(c), 'step-recover', 'cutover.import.gc2010')).toBe(1)
    await checkResumedAfter(c, ref, crashes)
    rmSync(c.dir, { recursive: true, force: true })
  }, 600_000)
})
