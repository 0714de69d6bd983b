/**
 * One case of the crash matrix (test/crash/matrix-*.test.ts): a lab run killed at one point,
 * resumed with `apply` until done, and checked against an uninterrupted run of the same lab.
 */
import { expect, inject } from 'vitest'
import { apply, countEvents, crashCase, journal, leftovers, needsResolveWhenInterrupted, resolveStep, runDigest, said, status, traitClass } from './crash.js'
import type { JournalEvent, RunDigest, StepTraits, TraitClass } from './crash.js'
import { MATRIX_LAB, sameSize } from './crash-reference.js'
import type { LabSize, ReferenceData } from './crash-reference.js'
import type { LabCase } from './lab.js'

export { MATRIX_LAB, MID_LAB } from './crash-reference.js'

export interface Reference {
  readonly ids: readonly string[]
  readonly traits: ReadonlyMap<string, StepTraits>
  readonly digest: RunDigest
}

function referenceData(lab: LabSize): ReferenceData {
  const r = inject('crashFixtures').references.find((x) => sameSize(x.lab, lab))
  if (r === undefined) throw new Error(`no reference run of the ${String(lab.rooms)}x${String(lab.messages)} lab: test/setup/crash-fixtures.ts makes them`)
  return r
}

/** The uninterrupted run of a fresh lab of this size, made once for the run by
 * test/setup/crash-fixtures.ts (checkReference checks it). */
export function reference(lab: LabSize = MATRIX_LAB): Reference {
  const r = referenceData(lab)
  return { ids: r.ids, traits: new Map(r.traits), digest: r.digest }
}

/** What the reference run must show to be one: the CLI lists the compiled steps, and each step
 * started and finished exactly once. */
export function checkReference(lab: LabSize = MATRIX_LAB): void {
  const r = referenceData(lab)
  expect(r.compiledIds, 'the CLI lists the compiled steps').toEqual(r.ids)
  for (const id of r.ids) {
    expect(countEvents(r.events, 'step-start', id), `${id} starts once in the reference run`).toBe(1)
    expect(countEvents(r.events, 'step-done', id), `${id} is done once in the reference run`).toBe(1)
  }
}

export interface MatrixCase {
  readonly id: string
  readonly traitClass: TraitClass
}

/**
 * The steps a matrix file kills, in plan order: all of them, or with CUTOVER_CRASH_MATRIX=classes
 * the first step of each trait class, a quick loop while working on the engine. CI runs them all:
 * under CI=true the sample is refused.
 */
export function matrixCases(ref: Reference): MatrixCase[] {
  const all = ref.ids.map((id) => {
    const traits = ref.traits.get(id)
    if (traits === undefined) throw new Error(`no traits for ${id}`)
    return { id, traitClass: traitClass(traits) }
  })
  const mode = process.env.CUTOVER_CRASH_MATRIX ?? 'all'
  if (mode === 'all' || mode === '') return all
  if (mode !== 'classes') throw new Error(`CUTOVER_CRASH_MATRIX=${mode}: use all (the default) or classes`)
  if (process.env.CI === 'true') throw new Error('CUTOVER_CRASH_MATRIX=classes under CI=true: CI runs the whole crash matrix')
  return all.filter((c, i) => all.findIndex((d) => d.traitClass === c.traitClass) === i)
}

/** Where a run was killed: right after a checkpoint (`CUTOVER_CRASH_AT`), or while the step's
 * commands ran (`CUTOVER_LAB_FAULTS`). `settled`: the step's postcondition is expected to find
 * its work complete, so the resumed run settles it instead of running it again. */
export interface Killed {
  readonly id: string
  readonly at: 'running' | 'done' | 'mid-work'
  readonly settled?: boolean
}

export interface ResumeLog {
  /** Steps a resumed apply paused on for `cutover resolve`, in order. */
  readonly askedToResolve: string[]
  /** Apply runs after the crash, resolve included. */
  readonly runs: number
}

/**
 * Applies again until the plan is done. A pause for `resolve` is answered with --retry, but only
 * for the step killed at `:running` (the process died right after marking it running, so nothing
 * of it was done); anything else is a failure.
 */
export async function resumeUntilDone(c: LabCase, killed: Killed, env: Readonly<Record<string, string>> = {}): Promise<ResumeLog> {
  const askedToResolve: string[] = []
  for (let runs = 1; runs <= 4; runs++) {
    const r = await apply(c, env)
    if (r.code === 0) return { askedToResolve, runs }
    expect(r.code, `a resumed apply either finishes or pauses for resolve: ${said(r)}`).toBe(3)
    const m = /paused at (\S+): (.*)/.exec(r.stdout)
    expect(m, said(r)).not.toBeNull()
    const [, step = '', message = ''] = m ?? []
    expect(message, 'the pause says what to run').toContain(`cutover resolve ${c.planFile} ${step} --done`)
    expect(step, 'only the step that was killed can need resolving').toBe(killed.id)
    expect(killed.at, `resolve --retry is only safe when ${step} was killed before doing anything`).toBe('running')
    expect(askedToResolve, 'one resolve settles it').toEqual([])
    askedToResolve.push(step)
    const resolved = await resolveStep(c, step, 'retry')
    expect(resolved.code, said(resolved)).toBe(0)
  }
  throw new Error('apply did not finish after 4 runs')
}

/** The pid of the process that wrote the last journal entry before the crash. */
function killedPid(events: readonly JournalEvent[]): number {
  const last = events[events.length - 1]
  if (last === undefined) throw new Error('empty journal after the crash')
  return last.pid
}

/** One kill of a run: where it was killed and the journal as the killed process left it. */
export interface Crash {
  readonly killed: Killed
  readonly crashEvents: readonly JournalEvent[]
}

/**
 * Checks what every resumed run must satisfy: a stale lock taken over without `unlock`, each step
 * done exactly once over all runs, a step killed after `done` never started again, no failure,
 * status all done, and stores equal to the reference's.
 */
export async function checkResumed(c: LabCase, ref: Reference, killed: Killed, crashEvents: readonly JournalEvent[]): Promise<void> {
  await checkResumedAfter(c, ref, [{ killed, crashEvents }])
}

/**
 * checkResumed for a run killed several times (test/pwsh/lab-crash.test.ts kills one run three
 * times, so each kill's resume is checked without running the whole plan again per kill): after
 * every kill the next run takes the dead process's lock over first; a killed step starts once more
 * per kill that interrupted its work, a settled one never again.
 */
export async function checkResumedAfter(c: LabCase, ref: Reference, crashes: readonly Crash[]): Promise<void> {
  const events = journal(c)
  for (const { crashEvents } of crashes) {
    const pid = killedPid(crashEvents)
    const after = events.slice(crashEvents.length)
    const takeover = after.find((e) => e.event === 'lock-taken-over')
    expect(takeover?.detail?.stalePid, 'the resumed apply takes over the dead process\'s lock by itself').toBe(pid)
    expect(after[0]?.event, 'taking the stale lock over is the first thing the resumed run journals').toBe('lock-taken-over')
  }

  for (const id of ref.ids) {
    const kills = crashes.map((k) => k.killed).filter((k) => k.id === id)
    if (kills.some((k) => k.settled === true)) {
      // Killed after its work, found complete by its postcondition: settled, never run again.
      expect(countEvents(events, 'step-settled', id), `${id}: settled by its postcondition`).toBe(1)
      expect(countEvents(events, 'step-done', id), `${id}: no step-done once settled`).toBe(0)
      expect(countEvents(events, 'step-start', id), `${id}: not started again`).toBe(1)
      continue
    }
    expect(countEvents(events, 'step-done', id), `${id}: exactly one step-done over all runs`).toBe(1)
    expect(countEvents(events, 'step-settled', id), `${id}: not settled`).toBe(0)
    const starts = countEvents(events, 'step-start', id)
    // The killed step starts again when it was killed before finishing; nothing else ever does.
    expect(starts, `${id}: step-start over all runs`).toBe(1 + kills.filter((k) => k.at !== 'done').length)
  }
  for (const { killed } of crashes) {
    if (killed.at !== 'done') continue
    const doneAt = events.findIndex((e) => e.event === 'step-done' && e.step === killed.id)
    expect(events.slice(doneAt + 1).filter((e) => e.step === killed.id && e.event === 'step-start'), `${killed.id} was done: it never starts again`).toEqual([])
  }
  expect(events.filter((e) => e.event === 'step-failed'), 'no step failed').toEqual([])

  const st = await status(c)
  expect(st.lock, 'no lock is left behind').toBeNull()
  expect(st.steps.filter((s) => s.status !== 'done').map((s) => `${s.id}: ${s.status}`), 'status shows every step done').toEqual([])
  expect(st.steps.map((s) => s.id)).toEqual(ref.ids)

  const got = runDigest(c)
  // Compared part by part so a failure says which store differs.
  expect(got.pchat.totalMessages, 'total messages in Persistent Chat').toBe(ref.digest.pchat.totalMessages)
  expect(Object.fromEntries(Object.entries(got.pchat.messages).map(([k, v]) => [k, v.count])), 'message count per room').toEqual(Object.fromEntries(Object.entries(ref.digest.pchat.messages).map(([k, v]) => [k, v.count])))
  expect(got.pchat.categories, 'Persistent Chat categories').toEqual(ref.digest.pchat.categories)
  expect(got.pchat.rooms, 'Persistent Chat rooms').toEqual(ref.digest.pchat.rooms)
  expect(got.pchat.roles, 'role holders per room').toEqual(ref.digest.pchat.roles)
  expect(got.pchat.principals, 'principals').toEqual(ref.digest.pchat.principals)
  expect(got.pchat.messages, 'messages per room, in order').toEqual(ref.digest.pchat.messages)
  expect(got.world, 'the lab world (lab.json)').toEqual(ref.digest.world)
  expect(got.fileStore, 'the Persistent Chat file store').toEqual(ref.digest.fileStore)
  expect(got.legacy, 'the legacy store is left as it was').toEqual(ref.digest.legacy)
  expect(got.exportSha256, 'the export file').toBe(ref.digest.exportSha256)
  expect(leftovers(c.labDir), 'no half-written file is left in the lab').toEqual([])
}

/** Runs apply with a crash fault (CUTOVER_LAB_FAULTS) and checks that it killed the process while
 * `step` ran, leaving the step running and the lock stale. Returns how far the cmdlet got. */
export async function crashInCommand(c: LabCase, fault: string, step: string): Promise<{ done: number; total: number }> {
  const r = await apply(c, { CUTOVER_LAB_FAULTS: fault })
  expect(r.signal, said(r)).toBe('SIGKILL')
  const m = new RegExp(`injected crash \\(CUTOVER_LAB_FAULTS ${fault.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\) after (\\d+) of (\\d+)`).exec(r.stderr)
  expect(m, said(r)).not.toBeNull()
  const done = Number(m?.[1])
  const total = Number(m?.[2])
  const events = journal(c)
  const last = events[events.length - 1]
  expect([last?.event, last?.step], 'the process died while the step ran').toEqual(['step-start', step])
  const st = await status(c)
  expect(st.steps.find((s) => s.id === step)?.status).toBe('running')
  expect(st.lock?.alive, 'a stale lock is left behind').toBe(false)
  return { done, total }
}

/** One matrix case: kill with CUTOVER_CRASH_AT=<id>:<at>, resume, check. */
export async function crashAt(ref: Reference, id: string, at: 'running' | 'done'): Promise<void> {
  const c = await crashCase(MATRIX_LAB)
  const crash = await apply(c, { CUTOVER_CRASH_AT: `${id}:${at}` })
  expect(crash.signal, `killed at ${id}:${at}: ${said(crash)}`).toBe('SIGKILL')
  const crashEvents = journal(c)
  const last = crashEvents[crashEvents.length - 1]
  expect([last?.event, last?.step], 'the crash came right after the checkpoint').toEqual([at === 'running' ? 'step-start' : 'step-done', id])

  const st = await status(c)
  expect(st.steps.find((s) => s.id === id)?.status, 'status after the crash').toBe(at)
  expect(st.lock, 'the killed process left its lock').not.toBeNull()
  expect(st.lock?.alive, 'status sees the lock is stale').toBe(false)
  expect(st.lock?.pid).toBe(killedPid(crashEvents))

  const log = await resumeUntilDone(c, { id, at })
  const traits = ref.traits.get(id)
  if (traits === undefined) throw new Error(`no traits for ${id}`)
  if (traits.recover && at === 'running') {
    expect(countEvents(journal(c), 'step-recover', id), `${id} is recovered before it runs again`).toBe(1)
  }
  // Soft, so the stores are still compared when a step asks that should not.
  expect.soft(log.askedToResolve, `${id} (${traits.kind}: idempotent ${String(traits.idempotent)}, postcondition ${String(traits.check)}, recover ${String(traits.recover)}) killed at :${at}: ` +
    'only a non-idempotent step without a postcondition may ask for resolve, and only when killed while running').toEqual(at === 'running' && needsResolveWhenInterrupted(traits) ? [id] : [])
  await checkResumed(c, ref, { id, at }, crashEvents)
}
