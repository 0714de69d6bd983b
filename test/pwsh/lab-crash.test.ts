/**
 * Crash and resume through the real PowerShell host, one case per trait class: killed mid-export
 * (idempotent: runs again), mid-import (recovered: the pre-import backup is restored, then the
 * import runs again, never twice on itself), and right after a step that cannot run twice did
 * its work (New-CsPersistentChatEndpoint: settled by its postcondition, not run again). The
 * emulator runs under pwsh, so a crash fault kills the apply as well (CUTOVER_LAB_RUN_PID), as a
 * power cut would. Each ends with the stores of an uninterrupted lab-host run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/cli.js'
import { checkResumed, MATRIX_LAB, reference, resumeUntilDone } from '../helpers/crash-matrix.js'
import type { Reference } from '../helpers/crash-matrix.js'
import { apply, journal, said, status } from '../helpers/crash.js'
import { labCase } from '../helpers/lab.js'
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

  for (const k of CASES) {
    it(`${k.step} (${k.trait}) killed by ${k.fault}, then apply again [slow]`, async () => {
      const c = await labCase({ ...MATRIX_LAB, edit: PLAN_TEXT })
      if (k.until !== undefined) {
        const first = await apply(c, env, ['--until', k.until])
        expect(first.code, said(first)).toBe(3) // paused at --until
      }
      const crashed = await apply(c, { ...env, CUTOVER_LAB_FAULTS: k.fault })
      expect(crashed.signal, said(crashed)).toBe('SIGKILL')
      const crashEvents = journal(c)
      const last = crashEvents[crashEvents.length - 1]
      expect([last?.event, last?.step], 'the process died while the step ran').toEqual(['step-start', k.step])
      expect((await status(c)).steps.find((s) => s.id === k.step)?.status).toBe('running')
      const killed = { id: k.step, at: 'mid-work', settled: k.settled } as const
      const log = await resumeUntilDone(c, killed, { ...env, CUTOVER_LAB_FAULTS: k.fault })
      expect(log.askedToResolve).toEqual([])
      if (k.step === 'cutover.import.gc2010') {
        // Recovered (the pre-import backup restored) before it imported again, once.
        expect(journal(c).slice(crashEvents.length).filter((e) => e.event === 'step-recover' && e.step === k.step)).toHaveLength(1)
      }
      await checkResumed(c, ref, killed, crashEvents)
      rmSync(c.dir, { recursive: true, force: true })
    }, 600_000)
  }
})
