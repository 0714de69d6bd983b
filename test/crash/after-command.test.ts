/**
 * Crashes between the commands of a step (CUTOVER_LAB_FAULTS=crash:<Cmdlet>@1: killed right after
 * the first invocation of that cmdlet did its work, before the step is recorded done). The matrix
 * kills at checkpoints, where a step has done all of its work or none of it; here a step has done
 * part of it (the mappings) or all of it without knowing (the directory steps, which their
 * postcondition must then settle without running them again).
 */
import { describe, expect, it } from 'vitest'
import { checkResumed, crashInCommand, MATRIX_LAB, reference, resumeUntilDone } from '../helpers/crash-matrix.js'
import type { Reference } from '../helpers/crash-matrix.js'
import { crashCase, journal } from '../helpers/crash.js'

const ref: Reference = reference()

interface Case {
  readonly cmdlet: string
  readonly step: string
  /** The step has a postcondition that finds its work complete. */
  readonly settled: boolean
  readonly why: string
}

const CASES: readonly Case[] = [
  { cmdlet: 'Stop-Service', step: 'cutover.stop-legacy.gc2010', settled: false, why: 'stopping stopped services again is harmless' },
  { cmdlet: 'Stop-CsWindowsService', step: 'cutover.stop-target', settled: false, why: 'idempotent' },
  { cmdlet: 'Set-CsPersistentChatCategory', step: 'cutover.mappings', settled: false, why: 'the mappings compute what is still to change from the target' },
  { cmdlet: 'Remove-CsPersistentChatRoom', step: 'cutover.mappings', settled: false, why: 'a removed room is not removed again' },
  { cmdlet: 'Set-CsPersistentChatRoom', step: 'cutover.mappings', settled: false, why: 'a renamed room is found under its new name' },
  { cmdlet: 'Disable-CsUser', step: 'cutover.lookup-account', settled: true, why: 'its postcondition sees the account disabled' },
  { cmdlet: 'New-CsPersistentChatEndpoint', step: 'cutover.endpoint', settled: true, why: 'its postcondition sees the endpoint' },
  { cmdlet: 'Start-CsWindowsService', step: 'cutover.start-target', settled: false, why: 'idempotent' },
  { cmdlet: 'Set-CsPersistentChatPolicy', step: 'post.enable-clients', settled: false, why: 'idempotent' },
]

describe('killed right after one command of a step, then apply again', () => {
  for (const k of CASES) {
    it(`${k.step} killed after ${k.cmdlet}: ${k.settled ? 'settled, not run again' : 'runs again'} (${k.why}) [slow]`, async () => {
      const c = await crashCase(MATRIX_LAB)
      const fault = `crash:${k.cmdlet}@1`
      await crashInCommand(c, fault, k.step)
      const crashEvents = journal(c)
      const killed = { id: k.step, at: 'mid-work', settled: k.settled } as const
      const log = await resumeUntilDone(c, killed, { CUTOVER_LAB_FAULTS: fault })
      expect(log.askedToResolve).toEqual([])
      await checkResumed(c, ref, killed, crashEvents)
    })
  }
})
