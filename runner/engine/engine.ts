import { appendFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Clock } from '../core/clock.js'
import type { JsonObject } from '../core/json.js'
import type { Platform } from '../core/platform.js'
import type { Runtime } from '../core/runtime.js'
import type { Step, StepId } from '../core/step.js'
import { delay } from '../core/delay.js'
import { fileError } from '../core/file-problem.js'
import { windowAt } from '../core/window.js'
import type { Plan } from '../plan/types.js'
import type { Secrets } from '../plan/secrets.js'
import { currentUser, thisProcessHolder } from '../state/holder.js'
import type { Lock, RunState, StateStore } from '../state/types.js'
import type { RenderKnowledge, RunContext, StepKind } from '../steps/define.js'
import { NOTHING_KNOWN } from '../steps/define.js'
import { clientsEnabledAt, downNotice } from '../steps/downtime.js'
import type { StepRecord } from '../state/types.js'
import { compareWithJournal } from '../state/history.js'
import { outputsOf } from '../state/records.js'
import { PlanChangedError, RefusedError, StateMismatchError } from './errors.js'
import { ApprovalNeededError } from '../core/errors.js'
import type { ApplyResult, EventListener, RollbackResult } from './events.js'
import { assertRan, missingFromPlan, planRollback } from './guards.js'
import type { KindLookup } from './guards.js'
import { journalTakeover } from './lock-takeover.js'
import { Recorder, newRunState } from './recorder.js'
import type { ReviewedComparer } from '../compile/reviewed-plan.js'

export interface EngineSetup {
  readonly plan: Plan
  /** sha256 of the plan file's bytes, recorded in the state. */
  readonly planHash: string
  /** The git commit the plan file is a clean copy of, when known (cli/plan-commit.ts). */
  readonly planCommit?: string
  /** How the commit is known (state/types.ts RunState.plan.commitSource); default `git`. */
  readonly planCommitSource?: 'git' | 'operator'
  readonly steps: readonly Step[]
  /** The kind of each step, by name (steps/registry.ts). */
  readonly kinds: KindLookup
  readonly store: StateStore
  readonly runtime: Runtime
  readonly platform: Platform
  readonly clock: Clock
  readonly secrets: Secrets
  readonly artifactsDir: string
  readonly listener: EventListener
  /** Writes the run report from the state and the journal (the report step); returns the file. */
  readonly writeReport: () => Promise<string>
  /** Who runs this (journal); defaults to the OS user. */
  readonly who?: string
  /** The command line, recorded in the lock so whoever is refused it knows what runs. */
  readonly command: string
  /** Called right after a step's `running` and `done` checkpoints are durable: where the crash
   * tests kill the process (lab runs only, runner/runtimes/lab/crash-points.ts). */
  readonly checkpoint?: (stepId: string, status: 'running' | 'done') => void
  /** The plan file as the admin named it, for the commands messages suggest (default `<plan>`). */
  readonly planFile?: string
  /** What the run knows of the stores (the inventories it froze), for the cutover's forecast;
   * without it the kinds' fixed forecasts are used. */
  readonly known?: (records: Readonly<Record<string, StepRecord>>) => RenderKnowledge
  /** apply --reviewed: the reviewed plan (its file and sha256) that every step must match before
   * it runs; the CLI has compared the plan file, versions and fingerprints already. */
  readonly reviewed?: { readonly file: string; readonly sha256: string; readonly comparer: ReviewedComparer }
}

export interface ApplyOptions {
  /** Stop after this step id. */
  readonly until?: string
  readonly ignoreWindow?: boolean
  /** Keep the results of done steps whose plan entry changed, and retire the records of steps
   * the plan no longer has (both journaled). */
  readonly acceptChanges?: boolean
  /** Before the window: wait for it to open instead of pausing. */
  readonly wait?: boolean
  /** How long to sleep between window checks while waiting (tests shorten it). */
  readonly waitPollMs?: number
  /** Ctrl-C: the running step's host stops what it runs, and the run ends `interrupted`. */
  readonly signal?: AbortSignal
}

export interface RollbackOptions {
  /** Ctrl-C: stops after the undo that is running. */
  readonly signal?: AbortSignal
  /** The admin accepts that restoring the backup deletes what users posted after the new clients
   * were enabled (`rollback --discard-new-content`); without it such a rollback is refused. */
  readonly discardNewContent?: boolean
  /** What the admin was shown it would cost (engine/rollback-loss.ts), journaled with it. */
  readonly loss?: JsonObject
}

const NEVER = new AbortController().signal

/**
 * Runs a compiled plan step by step with durable checkpoints. Every change of a step's record
 * goes through one transition (engine/transitions.ts) that the Recorder saves, journals and
 * emits. It knows nothing of the terminal: it reports through typed events.
 */
export class Engine {
  private readonly who: string
  private reviewKnown: { readonly signature: string; readonly known: RenderKnowledge } | undefined

  constructor(private readonly setup: EngineSetup) {
    this.who = setup.who ?? currentUser()
  }

  async apply(options: ApplyOptions = {}): Promise<ApplyResult> {
    const lock = await this.lock()
    try {
      return await this.applyLocked(options, options.signal ?? NEVER)
    } finally {
      await lock.release()
    }
  }

  private async lock(): Promise<Lock> {
    const { store, clock, command } = this.setup
    const lock = await store.acquireLock({ ...thisProcessHolder(command, clock), user: this.who })
    if (lock.tookOverStale !== undefined) {
      const r = this.recorderFor(await this.loadOrNew())
      const message = await journalTakeover(lock, () => r)
      if (message !== undefined) r.emit({ type: 'lock-taken-over', message })
    }
    return lock
  }

  private async loadOrNew(): Promise<RunState> {
    const loaded = await this.setup.store.load()
    return loaded ?? newRunState({ name: this.setup.plan.name, hash: this.setup.planHash }, this.setup.clock.now().toISOString())
  }

  private recorderFor(state: RunState): Recorder {
    const { store, clock, listener, secrets } = this.setup
    return new Recorder(state, store, clock, { who: this.who }, listener, (text) => secrets.redact(text))
  }

  /** The plan file, as messages name it. */
  private get planRef(): string {
    return this.setup.planFile ?? '<plan>'
  }

  /**
   * Refuses to go on when the saved state and the journal disagree (state/history.ts); when the
   * state is only one move ahead of the journal (a crash between the save and its journal line),
   * journals that move, so both tell the same story again.
   */
  private async checkHistory(loaded: RunState | undefined, r: Recorder): Promise<void> {
    const entries = await this.setup.store.readJournal()
    const consistency = compareWithJournal(loaded, entries)
    if (!consistency.ok) throw new StateMismatchError(consistency.why, this.planRef)
    const caught = consistency.caughtUp
    const rec = caught === undefined ? undefined : loaded?.steps[caught.step]
    if (caught !== undefined && rec !== undefined) {
      await r.journal('journal-restored', { step: caught.step, outcome: rec.status, detail: { why: 'saved, then the process stopped before journaling it', journal: caught.journal, restored: rec as unknown as JsonObject } })
    }
  }

  private async applyLocked(options: ApplyOptions, signal: AbortSignal): Promise<ApplyResult> {
    const { store, steps, plan } = this.setup
    const loaded = await store.load()
    const r = this.recorderFor(loaded ?? newRunState({ name: plan.name, hash: this.setup.planHash }, this.setup.clock.now().toISOString()))
    await this.checkHistory(loaded, r)

    // Integrity first, before anything runs, read from the recorded state: a step that already
    // ran must not silently change, and a step that ran must not silently leave the plan.
    const changed = steps.filter((s) => {
      const rec = r.record(s.id)
      return rec !== undefined && (rec.status === 'done' || rec.status === 'running') && rec.fingerprint !== s.fingerprint
    })
    const missing = missingFromPlan(r.state, steps)
    if ((changed.length > 0 || missing.length > 0) && options.acceptChanges !== true) {
      if (changed.length > 0) throw new PlanChangedError(changed.map((s) => s.id))
      throw new PlanChangedError(missing.map((m) => m.id), `the state records steps this plan no longer has: ${missing.map((m) => `${m.id} (${m.status})`).join(', ')}; put them back in the plan, or run apply again with --accept-changes to retire their records (kept in the state: rollback still reads them)`)
    }
    if (changed.length > 0) {
      for (const s of changed) await r.move(s, { to: 'accepted' })
      await r.journal('accept-changes', { detail: { steps: changed.map((s) => s.id) } })
    }
    if (missing.length > 0) {
      await r.replace((st) => {
        const stepsLeft = Object.fromEntries(Object.entries(st.steps).filter(([id]) => !missing.some((m) => m.id === id)))
        return { ...st, steps: stepsLeft, retired: { ...(st.retired ?? {}), ...Object.fromEntries(missing.map((m) => [m.id, m])) } }
      })
      await r.journal('retire-steps', { detail: { steps: missing.map((m) => m.id) } })
    }
    // The plan as it is now: a commit recorded by an earlier run must not outlive a changed file.
    const commit = this.setup.planCommit
    const commitSource = this.setup.planCommitSource ?? 'git'
    await r.replace((st) => ({ ...st, plan: { name: plan.name, hash: this.setup.planHash, ...(commit === undefined ? {} : { commit, commitSource }) } }))
    await r.journal('apply-start', { detail: { resumed: loaded !== undefined, until: options.until ?? null, ignoreWindow: options.ignoreWindow === true, planHash: this.setup.planHash, planCommit: commit ?? null, reviewed: this.reviewedRef(), ...(commit === undefined ? {} : { planCommitSource: commitSource }) } })
    r.emit({ type: 'run-start', plan: plan.name, steps: steps.length, resumed: loaded !== undefined })

    let windowIgnoredJournaled = false
    for (const [index, step] of steps.entries()) {
      if (signal.aborted) return await this.end(r, { outcome: 'interrupted' })
      const kind = this.kind(step)
      const rec = r.record(step.id)
      if (rec?.status !== 'done') {
        const differs = await this.reviewGate(r, step, steps.slice(index))
        if (differs !== undefined) return await this.end(r, step.phase === 'cutover' ? this.withDownNotice(r, differs) : differs)
      }
      if (rec?.status === 'done') {
        r.emit({ type: 'step-skip', id: step.id, title: step.title, reason: rec.approvedBy === undefined ? 'done earlier' : `approved by ${rec.approvedBy}` })
      } else if (kind.traits.manual === true && rec?.status === 'pending' && rec.preApproval !== undefined) {
        // Approved ahead (`approve --ahead`): the approval is used now, when the run gets here.
        await r.move(step, { to: 'approval-used' })
      } else if (kind.traits.manual === true) {
        return await this.end(r, await this.awaitApproval(r, step))
      } else {
        if (step.phase === 'cutover') {
          const gate = await this.windowGate(r, step, options, windowIgnoredJournaled)
          if (gate === 'ignored') windowIgnoredJournaled = true
          else if (gate !== 'open') return await this.end(r, this.withDownNotice(r, gate))
          else {
            const fits = await this.forecastGate(r, step, options, windowIgnoredJournaled)
            if (fits === 'ignored') windowIgnoredJournaled = true
            else if (fits !== undefined) return await this.end(r, fits)
          }
        }
        const result = await this.runStep(r, step, kind, signal)
        if (result !== undefined) return await this.end(r, step.phase === 'cutover' ? this.withDownNotice(r, result) : result)
      }
      if (options.until === step.id) {
        return await this.end(r, { outcome: 'paused', reason: 'until', step: step.id, message: `stopped after ${step.id} as asked (--until); run apply again to continue` })
      }
    }
    return await this.end(r, { outcome: 'done' })
  }

  /**
   * `cutover rollback`: undoes the cutover and the post steps newest first (disable the clients'
   * policy again, start the legacy services, remove the endpoint, re-enable the lookup account,
   * restore the target backup, ...) and marks every cutover and post step pending, so a later
   * apply redoes the cutover from a fresh export. Refuses as planRollback (engine/guards.ts) says.
   */
  async rollback(options: RollbackOptions = {}): Promise<RollbackResult> {
    const signal = options.signal ?? NEVER
    const lock = await this.lock()
    try {
      const loaded = await this.setup.store.load()
      const r0 = this.recorderFor(loaded ?? newRunState({ name: this.setup.plan.name, hash: this.setup.planHash }, this.setup.clock.now().toISOString()))
      await this.checkHistory(loaded, r0)
      assertRan(loaded)
      const toUndo = planRollback(loaded, this.setup.steps, this.setup.kinds)
      // Once the new clients were enabled, users post into Persistent Chat, and restoring the
      // pre-import backup deletes what they posted: only an explicit decision allows that.
      const enabled = clientsEnabledAt(loaded.steps, this.setup.steps)
      if (enabled !== undefined && options.discardNewContent !== true) {
        throw new RefusedError(`the new clients were enabled at ${enabled}: rolling back restores the Persistent Chat backup from before the import and deletes whatever users posted since. See what would be lost with cutover rollback <plan> --dry-run; to roll back anyway, run it again with --discard-new-content`)
      }
      const r = this.recorderFor(loaded)
      await r.journal('rollback-start', { detail: { steps: toUndo.map((s) => s.id), ...(enabled === undefined ? {} : { clientsEnabledAt: enabled, discardNewContent: true }), ...(options.loss === undefined ? {} : { loss: options.loss }) } })
      const undone: string[] = []
      for (const step of toUndo) {
        if (signal.aborted) return await this.endRollback(r, { outcome: 'interrupted', undone })
        const rec = r.record(step.id)
        const kind = this.kind(step)
        if (kind.undo === undefined) continue
        r.emit({ type: 'step-start', id: step.id, title: `undo: ${step.title}`, phase: step.phase, attempt: 1 })
        const started = this.setup.clock.now().getTime()
        try {
          await kind.undo(step, this.context(r, step, signal), rec?.status === 'done' ? rec.outputs : undefined)
        } catch (e) {
          if (signal.aborted) return await this.endRollback(r, { outcome: 'interrupted', undone, step: step.id })
          const error = this.setup.secrets.redact(e instanceof Error ? e.message : String(e))
          await r.journal('rollback-failed', { step: step.id, outcome: 'failed', detail: { error } })
          r.emit({ type: 'step-failed', id: step.id, title: `undo: ${step.title}`, error })
          throw new RefusedError(`rollback stopped at ${step.id}: ${error}; fix the cause and run rollback again (steps already undone stay undone)`, { cause: e })
        }
        await r.move(step, { to: 'undone' })
        undone.push(step.id)
        r.emit({ type: 'step-done', id: step.id, title: `undo: ${step.title}`, ms: this.setup.clock.now().getTime() - started })
      }
      // Everything from the cutover on starts afresh: no outputs, errors or times of the undone run.
      const reset: string[] = []
      for (const step of this.setup.steps) {
        const rec = r.record(step.id)
        if ((step.phase !== 'cutover' && step.phase !== 'post') || rec === undefined) continue
        if (rec.status === 'pending' && rec.attempts === 0) continue
        await r.move(step, { to: 'reset' })
        reset.push(step.id)
      }
      // Undone steps count as reset too: they are pending again.
      const pendingAgain = [...new Set([...undone, ...reset])]
      return await this.endRollback(r, { outcome: 'done', undone, reset: pendingAgain })
    } finally {
      await lock.release()
    }
  }

  private async endRollback(r: Recorder, result: RollbackResult): Promise<RollbackResult> {
    if (result.outcome === 'interrupted') {
      await r.journal('interrupted', { ...(result.step === undefined ? {} : { step: result.step }), detail: { command: 'rollback', undone: [...result.undone] } })
      r.emit({ type: 'run-end', outcome: 'interrupted' })
      return result
    }
    await r.journal('rollback-end', { outcome: 'done', detail: { undone: [...result.undone], reset: [...result.reset] } })
    r.emit({ type: 'run-end', outcome: 'done' })
    return result
  }

  /** Runs one step, settling an interrupted earlier attempt first. Undefined when it is done. */
  private async runStep(r: Recorder, step: Step, kind: StepKind, signal: AbortSignal): Promise<ApplyResult | undefined> {
    const ctx = this.context(r, step, signal)
    const rec = r.record(step.id)
    if (rec?.status === 'running') {
      // The process died while this step ran. Settle it before anything else happens.
      if (kind.check !== undefined && (await kind.check(step, ctx))) {
        await r.move(step, { to: 'found-complete' }, { how: 'its postcondition holds' })
        return undefined
      }
      // A postcondition that says "not done" settles a single-action step as well: it runs again.
      if (kind.recover === undefined && !kind.traits.idempotent && kind.check === undefined) {
        const message = `${step.id} was interrupted and cannot safely run twice; check what it did, then run \`cutover resolve ${this.planRef} ${step.id} --done\` (it completed) or \`--retry\` (run it again)`
        await r.journal('needs-resolve', { step: step.id })
        return { outcome: 'paused', reason: 'needs-resolve', step: step.id, message }
      }
    }
    if (kind.recover !== undefined && rec !== undefined && (rec.status === 'running' || rec.status === 'failed') && rec.attempts > 0) {
      // A partial run of a step that must not run twice on top of itself (the import): undo it first.
      r.emit({ type: 'step-recover', id: step.id, how: 'restoring the state from before its previous attempt' })
      await r.journal('step-recover', { step: step.id })
      await kind.recover(step, ctx)
    }
    await r.move(step, { to: 'running', attempt: (rec?.attempts ?? 0) + 1 })
    this.setup.checkpoint?.(step.id, 'running')
    try {
      const out = await kind.run(step, ctx)
      const warnings = (out.warnings ?? []).map((w) => this.setup.secrets.redact(w))
      for (const w of warnings) r.emit({ type: 'step-warning', id: step.id, message: w })
      const outputs: JsonObject = { ...(out.outputs ?? {}), ...(warnings.length > 0 ? { warnings } : {}) }
      await r.move(step, { to: 'done', outputs })
      this.setup.checkpoint?.(step.id, 'done')
      return undefined
    } catch (e) {
      // Ctrl-C: the step stays `running`, exactly as after a crash, so the next apply settles it
      // by its traits (check, recover, or `cutover resolve`) instead of trusting a partial run.
      if (signal.aborted) return { outcome: 'interrupted', step: step.id }
      if (e instanceof ApprovalNeededError) {
        // It ran to its end and found what a person must decide on: it waits for `cutover approve`.
        await r.move(step, { to: 'awaiting-approval' })
        const message = this.setup.secrets.redact(e.message)
        return { outcome: 'paused', reason: 'approval', step: step.id, message: `${message}\nWhen decided: cutover approve ${this.planRef} ${step.id} --by <your name>, then apply again` }
      }
      const rec = await r.move(step, { to: 'failed', error: e instanceof Error ? e.message : String(e) })
      return { outcome: 'failed', step: step.id, error: rec.status === 'failed' ? rec.error : '', cause: e }
    }
  }

  private async awaitApproval(r: Recorder, step: Step): Promise<ApplyResult> {
    if (r.record(step.id)?.status !== 'awaiting-approval') await r.move(step, { to: 'awaiting-approval' })
    const instructions = typeof step.input.instructions === 'string' ? step.input.instructions : step.title
    return { outcome: 'paused', reason: 'approval', step: step.id, message: `${step.id} is a manual step: ${step.title}\n${instructions}\nWhen it is done: cutover approve ${this.planRef} ${step.id} --by <your name>, then apply again` }
  }

  /** What apply-start journals of the reviewed plan: its file and sha256, or null without one. */
  private reviewedRef(): JsonObject | null {
    const reviewed = this.setup.reviewed
    return reviewed === undefined ? null : { file: reviewed.file, sha256: reviewed.sha256 }
  }

  /**
   * apply --reviewed: before `step` runs, it and every later step not done yet are compared with
   * the reviewed plan as far as the run knows the stores now (compile/reviewed-plan.ts): after
   * the preflight inventory, the steps rendered from it are compared before anything that changes
   * the deployment. A difference refuses the run there, nothing of it started; the run stays
   * resumable with a new reviewed plan.
   */
  private async reviewGate(r: Recorder, step: Step, remaining: readonly Step[]): Promise<ApplyResult | undefined> {
    const reviewed = this.setup.reviewed
    if (reviewed === undefined) return undefined
    const known = this.knownForReview(r)
    const pending = remaining.filter((s) => r.record(s.id)?.status !== 'done')
    const lines = reviewed.comparer.differences(pending, known, step).map((l) => this.setup.secrets.redact(l))
    if (lines.length === 0) return undefined
    await r.journal('reviewed-refused', { step: step.id, detail: { reviewed: { file: reviewed.file, sha256: reviewed.sha256 }, differences: lines } })
    return {
      outcome: 'refused',
      step: step.id,
      error: `the rest of the run would differ from the reviewed plan ${reviewed.file} (sha256 ${reviewed.sha256.slice(0, 12)}); stopped before ${step.id}, which was not started:\n${lines.map((l) => `  ${l}`).join('\n')}\nRe-plan (cutover plan ${this.planRef} --inventory --format json --out FILE), have it reviewed, then apply with --reviewed FILE: steps already done are kept`,
    }
  }

  /** What the run knows of the stores, for reviewGate: built again only when a step recorded
   * another artifact (an inventory), as reading one back costs a parse of the whole store. */
  private knownForReview(r: Recorder): RenderKnowledge {
    const signature = Object.entries(r.state.steps).flatMap(([id, rec]) => {
      const sha = outputsOf(rec)?.sha256
      return typeof sha === 'string' ? [`${id}=${sha}`] : []
    }).join('|')
    if (this.reviewKnown?.signature !== signature) this.reviewKnown = { signature, known: this.setup.known?.(r.state.steps) ?? NOTHING_KNOWN }
    return this.reviewKnown.known
  }

  /** Whether a cutover step may start now; waits for the window when asked to. */
  private async windowGate(r: Recorder, step: Step, options: ApplyOptions, alreadyJournaled: boolean): Promise<'open' | 'ignored' | ApplyResult> {
    const { plan, clock } = this.setup
    for (;;) {
      const w = windowAt(plan, clock.now().getTime())
      if (w.state === 'open') return 'open'
      if (options.ignoreWindow === true) {
        if (!alreadyJournaled) await r.journal('ignore-window', { step: step.id, detail: { window: w.state } })
        return 'ignored'
      }
      if (w.state === 'before') {
        const wait = w.startMs - clock.now().getTime()
        if (options.wait === true) {
          r.emit({ type: 'step-log', id: step.id, line: `waiting ${Math.ceil(wait / 60_000)} min for the downtime window to open at ${new Date(w.startMs).toISOString()}` })
          if (!(await delay(Math.min(wait, options.waitPollMs ?? 30_000), options.signal))) return { outcome: 'interrupted' }
          continue
        }
        return { outcome: 'paused', reason: 'window-not-open', step: step.id, message: `the downtime window opens at ${new Date(w.startMs).toISOString()} (in ${Math.ceil(wait / 60_000)} min); ${step.id} and the cutover steps after it wait for it. Run apply again then, or apply --wait` }
      }
      const why = w.state === 'closing'
        ? `less than the margin (${plan.downtime.margin}) is left in the downtime window`
        : `the downtime window ended at ${new Date(w.endMs).toISOString()}`
      await r.journal('window-refused', { step: step.id, detail: { window: w.state } })
      return { outcome: 'refused', step: step.id, error: `${why}: ${step.id} will not start. Plan a new window, or run apply --ignore-window if you accept the risk (it is journaled)` }
    }
  }

  /**
   * The cutover phase starts only when its forecast fits what is left of the window before
   * end - margin: started later, it would stop halfway with both chat services down. Checked
   * before the first cutover step only (a cutover under way is gated step by step); undefined
   * when it fits.
   */
  private async forecastGate(r: Recorder, step: Step, options: ApplyOptions, alreadyJournaled: boolean): Promise<ApplyResult | 'ignored' | undefined> {
    const { plan, clock, steps } = this.setup
    const cutover = steps.filter((s) => s.phase === 'cutover')
    if (cutover.some((s) => (r.record(s.id)?.attempts ?? 0) > 0)) return undefined
    const known = this.setup.known?.(r.state.steps) ?? NOTHING_KNOWN
    const minutes = cutover.reduce((sum, s) => sum + (this.kind(s).forecast?.(s, known).minutes ?? 1), 0)
    const now = clock.now().getTime()
    const w = windowAt(plan, now)
    const leftMin = Math.floor((w.lastStartMs - now) / 60_000)
    if (now + minutes * 60_000 <= w.lastStartMs) return undefined
    if (options.ignoreWindow === true) {
      if (!alreadyJournaled) await r.journal('ignore-window', { step: step.id, detail: { window: 'forecast', forecastMinutes: minutes, minutesLeft: leftMin } })
      return 'ignored'
    }
    await r.journal('window-refused', { step: step.id, detail: { window: 'forecast', forecastMinutes: minutes, minutesLeft: leftMin } })
    return {
      outcome: 'refused',
      step: step.id,
      error: `the cutover is forecast to take ${minutes} min but only ${leftMin} min are left before end - margin (${new Date(w.lastStartMs).toISOString()}): started now it would stop halfway with Group Chat and Persistent Chat both down. Nothing of the cutover was started. Plan a new window, or run apply --ignore-window if you accept the risk (it is journaled)`,
    }
  }

  /** A result inside the cutover names the chat services that are down and what to do. */
  private withDownNotice(r: Recorder, result: ApplyResult): ApplyResult {
    const down = downNotice(this.setup.steps, r.state.steps)
    if (down === undefined || result.outcome === 'done' || result.outcome === 'interrupted') return result
    return { ...result, down }
  }

  private context(r: Recorder, step: Step, signal: AbortSignal): RunContext {
    const { runtime, platform, clock, artifactsDir, secrets } = this.setup
    const logFile = join(artifactsDir, 'logs', `${step.id}.log`)
    let logDirReady = false
    return {
      host: runtime.host,
      platform,
      sql: (store) => runtime.sql(store),
      backups: runtime.backups,
      clock,
      record: (id: StepId) => r.record(id),
      artifactsDir,
      journal: () => this.setup.store.readJournal(),
      planState: r.state.plan,
      writeReport: () => this.setup.writeReport(),
      signal,
      progress: (done, total, unit) => r.emit({ type: 'step-progress', id: step.id, done, total, unit }),
      log: (line) => {
        const clean = secrets.redact(line)
        r.emit({ type: 'step-log', id: step.id, line: clean })
        // Synchronous appends keep the log in order and hold nothing in memory, however much a
        // script prints; a line costs one write.
        try {
          if (!logDirReady) {
            mkdirSync(join(artifactsDir, 'logs'), { recursive: true })
            logDirReady = true
          }
          appendFileSync(logFile, `${clock.now().toISOString()} ${clean}\n`)
        } catch (error) {
          throw fileError(error, `write the log of ${step.id} to`, logFile)
        }
      },
    }
  }

  private kind(step: Step): StepKind {
    const kind = this.setup.kinds(step.kind)
    if (kind === undefined) throw new Error(`no step kind '${step.kind}' (step ${step.id})`)
    return kind
  }

  private async end(r: Recorder, result: ApplyResult): Promise<ApplyResult> {
    const step = result.outcome === 'done' ? undefined : result.step
    if (result.outcome === 'interrupted') {
      await r.journal('interrupted', { ...(step === undefined ? {} : { step }), detail: { command: 'apply' } })
    }
    await r.journal('apply-end', { outcome: result.outcome === 'refused' ? 'failed' : result.outcome, ...(step === undefined ? {} : { step }), detail: { reason: result.outcome === 'paused' ? result.reason : null } })
    if (result.outcome === 'paused') r.emit({ type: 'paused', id: result.step, reason: result.reason, message: result.message })
    r.emit({ type: 'run-end', outcome: result.outcome === 'refused' ? 'failed' : result.outcome })
    return result
  }
}

