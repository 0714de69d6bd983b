import { appendFileSync, mkdirSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import type { Plan } from '../plan/types.js'
import type { Clock } from '../core/clock.js'
import { currentUser, thisProcessHolder } from '../state/holder.js'
import type { Lock, RunState, StateStore, StepRecord } from '../state/types.js'
import type { JsonObject } from '../core/json.js'
import type { Platform } from '../core/platform.js'
import type { Step } from '../core/step.js'
import type { RunContext, StepKind } from '../steps/define.js'
import { PlanChangedError, RefusedError } from './errors.js'
import type { EngineEvent, EventListener, PauseReason, RunOutcome } from './events.js'
import type { Runtime } from '../core/runtime.js'
import type { Secrets } from '../plan/secrets.js'
import { windowAt } from '../core/window.js'

export interface EngineSetup {
  readonly plan: Plan
  /** sha256 of the plan file's bytes, recorded in the state. */
  readonly planHash: string
  /** The git commit the plan file is a clean copy of, when known (cli/plan-commit.ts). */
  readonly planCommit?: string
  readonly steps: readonly Step[]
  /** The step kinds (steps/registry.ts KINDS); a step's kind is found by its name. */
  readonly kinds: readonly StepKind[]
  readonly store: StateStore
  readonly runtime: Runtime
  /** Paths and backups of the machine the runtime's scripts run on. */
  readonly platform: Platform
  /** Writes the run report from the state and journal as they are now; returns its file (the
   * report step calls it). */
  readonly writeReport: () => Promise<string>
  readonly clock: Clock
  readonly secrets: Secrets
  readonly artifactsDir: string
  readonly listener: EventListener
  /** Who runs this (journal); defaults to the OS user. */
  readonly who?: string
  /** The command line, recorded in the lock so whoever is refused it knows what runs. */
  readonly command: string
  /** Called right after a step's `running` and `done` checkpoints are durable: where the crash
   * tests kill the process (lab runs only, see runner/runtimes/lab/crash-points.ts). */
  readonly checkpoint?: (stepId: string, status: 'running' | 'done') => void
}

export interface ApplyOptions {
  /** Stop after this step id. */
  readonly until?: string
  readonly ignoreWindow?: boolean
  readonly acceptChanges?: boolean
  /** Before the window: wait for it to open instead of pausing. */
  readonly wait?: boolean
  /** How long to sleep between window checks while waiting (tests shorten it). */
  readonly waitPollMs?: number
}

export interface ApplyResult {
  readonly outcome: RunOutcome
  readonly pausedAt?: string
  readonly reason?: PauseReason
  readonly message?: string
  readonly failedStep?: string
  readonly error?: string
  /** The step was not started (window closed): nothing failed, nothing ran. */
  readonly refused?: boolean
}

/**
 * Runs a compiled plan step by step with durable checkpoints (DESIGN.md, "Engine, state and
 * resume"). It knows nothing of the terminal: it reports through typed events.
 */
export class Engine {
  private state!: RunState
  private readonly who: string

  constructor(private readonly setup: EngineSetup) {
    this.who = setup.who ?? currentUser()
  }

  async apply(options: ApplyOptions = {}): Promise<ApplyResult> {
    const lock = await this.lock()
    try {
      return await this.applyLocked(options)
    } finally {
      await lock.release()
    }
  }

  private async lock(): Promise<Lock> {
    const { store, clock, command } = this.setup
    const lock = await store.acquireLock({ ...thisProcessHolder(command, clock), user: this.who })
    if (lock.tookOverStale !== undefined) {
      await this.journal('lock-taken-over', { detail: { staleHost: lock.tookOverStale.host, stalePid: lock.tookOverStale.pid, since: lock.tookOverStale.startedAt } })
    }
    return lock
  }

  private async applyLocked(options: ApplyOptions): Promise<ApplyResult> {
    const { store, steps, plan } = this.setup
    const loaded = await store.load()
    const resumed = loaded !== undefined
    const now = this.setup.clock.now().toISOString()
    this.state = loaded ?? { formatVersion: 1, plan: { name: plan.name, hash: this.setup.planHash }, steps: {}, createdAt: now, updatedAt: now }

    // Integrity first, before anything runs: a step that already ran must not silently change.
    const changed = steps.filter((s) => {
      const rec = this.state.steps[s.id]
      return rec !== undefined && (rec.status === 'done' || rec.status === 'running') && rec.fingerprint !== s.fingerprint
    })
    if (changed.length > 0) {
      if (options.acceptChanges !== true) throw new PlanChangedError(changed.map((s) => s.id))
      for (const s of changed) this.put({ ...this.record(s), fingerprint: s.fingerprint })
      await this.journal('accept-changes', { detail: { steps: changed.map((s) => s.id) } })
    }
    // The plan as it is now: a commit recorded by an earlier run must not outlive a changed file.
    const commit = this.setup.planCommit
    this.state = { ...this.state, plan: { name: plan.name, hash: this.setup.planHash, ...(commit === undefined ? {} : { commit }) } }
    await this.save()
    await this.journal('apply-start', { detail: { resumed, until: options.until ?? null, ignoreWindow: options.ignoreWindow === true, planHash: this.setup.planHash, planCommit: commit ?? null } })
    this.emit({ type: 'run-start', plan: plan.name, steps: steps.length, resumed })

    let windowIgnoredJournaled = false
    for (const step of steps) {
      const kind = this.kind(step)
      const rec = this.state.steps[step.id]
      if (rec?.status === 'done') {
        this.emit({ type: 'step-skip', id: step.id, title: step.title, reason: rec.approvedBy === undefined ? 'done earlier' : `approved by ${rec.approvedBy}` })
      } else if (kind.traits.manual === true) {
        return await this.end(await this.awaitApproval(step))
      } else {
        if (step.phase === 'cutover') {
          const gate = await this.windowGate(step, options, windowIgnoredJournaled)
          if (gate === 'ignored') windowIgnoredJournaled = true
          else if (gate !== 'open') return await this.end(gate)
        }
        const result = await this.runStep(step, kind, rec)
        if (result !== undefined) return await this.end(result)
      }
      if (options.until === step.id) {
        return await this.end({ outcome: 'paused', reason: 'until', pausedAt: step.id, message: `stopped after ${step.id} as asked (--until); run apply again to continue` })
      }
    }
    return await this.end({ outcome: 'done' })
  }

  /**
   * `cutover rollback`: undoes the cutover and the post steps newest first (disable the clients'
   * policy again, start the legacy services, remove the endpoint, re-enable the lookup account,
   * restore the target backup, ...) and marks every cutover and post step pending, so a later
   * apply redoes the cutover from a fresh export. Refuses once decommissioning has begun: an
   * uninstalled Group Chat cannot be rolled back to.
   */
  async rollback(): Promise<{ undone: string[]; reset: string[] }> {
    const lock = await this.lock()
    try {
      const loaded = await this.setup.store.load()
      if (loaded === undefined) throw new RefusedError('this plan has never run: there is nothing to roll back')
      this.state = loaded
      const { steps } = this.setup
      const decommissioned = steps.filter((s) => this.kind(s).traits.irreversible === true && this.state.steps[s.id]?.status === 'done')
      if (decommissioned.length > 0) throw new RefusedError(`decommissioning has begun (${decommissioned.map((s) => s.id).join(', ')}): the legacy deployment cannot be rolled back to`)
      await this.journal('rollback-start')
      const undone: string[] = []
      for (const step of [...steps].reverse()) {
        const rec = this.state.steps[step.id]
        const kind = this.kind(step)
        if ((step.phase !== 'cutover' && step.phase !== 'post') || rec === undefined || rec.attempts === 0 || kind.undo === undefined) continue
        if (rec.status !== 'done' && rec.status !== 'failed' && rec.status !== 'running') continue
        this.emit({ type: 'step-start', id: step.id, title: `undo: ${step.title}`, phase: step.phase, attempt: 1 })
        const started = Date.now()
        try {
          await kind.undo(step, this.context(step), rec.outputs)
        } catch (e) {
          const error = this.setup.secrets.redact(e instanceof Error ? e.message : String(e))
          await this.journal('rollback-failed', { step: step.id, outcome: 'failed', detail: { error } })
          this.emit({ type: 'step-failed', id: step.id, title: `undo: ${step.title}`, error })
          throw new RefusedError(`rollback stopped at ${step.id}: ${error}; fix the cause and run rollback again (steps already undone stay undone)`)
        }
        undone.push(step.id)
        this.put({ ...rec, status: 'pending', attempts: 0 })
        await this.save()
        await this.journal('step-undone', { step: step.id })
        this.emit({ type: 'step-done', id: step.id, title: `undo: ${step.title}`, ms: Date.now() - started })
      }
      // Everything from the cutover on starts afresh: no outputs, errors or times of the undone run.
      const reset: string[] = []
      for (const step of steps) {
        const rec = this.state.steps[step.id]
        if ((step.phase !== 'cutover' && step.phase !== 'post') || rec === undefined) continue
        this.put({ id: step.id, status: 'pending', fingerprint: step.fingerprint, attempts: 0 })
        if (rec.status !== 'pending' || rec.attempts > 0) reset.push(step.id)
      }
      await this.save()
      await this.journal('rollback-end', { outcome: 'done', detail: { undone, reset } })
      this.emit({ type: 'run-end', outcome: 'done' })
      return { undone, reset }
    } finally {
      await lock.release()
    }
  }

  /** Runs one step, settling an interrupted earlier attempt first. Undefined when it is done. */
  private async runStep(step: Step, kind: StepKind, rec: StepRecord | undefined): Promise<ApplyResult | undefined> {
    const ctx = this.context(step)
    if (rec?.status === 'running') {
      // The process died while this step ran. Settle it before anything else happens.
      if (kind.check !== undefined && (await kind.check(step, ctx))) {
        this.put({ ...rec, status: 'done', endedAt: this.nowIso() })
        await this.save()
        await this.journal('step-settled', { step: step.id, outcome: 'done', detail: { how: 'its postcondition holds' } })
        this.emit({ type: 'step-skip', id: step.id, title: step.title, reason: 'interrupted earlier, found complete' })
        return undefined
      }
      // A postcondition that says "not done" settles a single-action step as well: it runs again.
      if (kind.recover === undefined && !kind.traits.idempotent && kind.check === undefined) {
        const message = `${step.id} was interrupted and cannot safely run twice; check what it did, then run \`cutover resolve <plan> ${step.id} --done\` (it completed) or \`--retry\` (run it again)`
        await this.journal('needs-resolve', { step: step.id })
        return { outcome: 'paused', reason: 'needs-resolve', pausedAt: step.id, message }
      }
    }
    if (kind.recover !== undefined && rec !== undefined && (rec.status === 'running' || rec.status === 'failed') && rec.attempts > 0) {
      // A partial run of a step that must not run twice on top of itself (the import): undo it first.
      this.emit({ type: 'step-recover', id: step.id, how: 'restoring the state from before its previous attempt' })
      await this.journal('step-recover', { step: step.id })
      await kind.recover(step, ctx)
    }
    const attempt = (rec?.attempts ?? 0) + 1
    const started = this.setup.clock.now()
    this.put({ id: step.id, status: 'running', fingerprint: step.fingerprint, attempts: attempt, startedAt: started.toISOString() })
    await this.save()
    await this.journal('step-start', { step: step.id, detail: { attempt } })
    this.setup.checkpoint?.(step.id, 'running')
    this.emit({ type: 'step-start', id: step.id, title: step.title, phase: step.phase, attempt })
    try {
      const out = await kind.run(step, ctx)
      for (const w of out.warnings ?? []) this.emit({ type: 'step-warning', id: step.id, message: this.setup.secrets.redact(w) })
      const outputs: JsonObject = { ...(out.outputs ?? {}), ...(out.warnings !== undefined && out.warnings.length > 0 ? { warnings: out.warnings.map((w) => this.setup.secrets.redact(w)) } : {}) }
      const ended = this.setup.clock.now()
      this.put({ id: step.id, status: 'done', fingerprint: step.fingerprint, attempts: attempt, startedAt: started.toISOString(), endedAt: ended.toISOString(), outputs })
      await this.save()
      await this.journal('step-done', { step: step.id, outcome: 'done' })
      this.setup.checkpoint?.(step.id, 'done')
      this.emit({ type: 'step-done', id: step.id, title: step.title, ms: ended.getTime() - started.getTime() })
      return undefined
    } catch (e) {
      const error = this.setup.secrets.redact(e instanceof Error ? e.message : String(e))
      this.put({ id: step.id, status: 'failed', fingerprint: step.fingerprint, attempts: attempt, startedAt: started.toISOString(), endedAt: this.nowIso(), error })
      await this.save()
      await this.journal('step-failed', { step: step.id, outcome: 'failed', detail: { error } })
      this.emit({ type: 'step-failed', id: step.id, title: step.title, error })
      return { outcome: 'failed', failedStep: step.id, error }
    }
  }

  private async awaitApproval(step: Step): Promise<ApplyResult> {
    const rec = this.state.steps[step.id]
    if (rec?.status !== 'awaiting-approval') {
      this.put({ id: step.id, status: 'awaiting-approval', fingerprint: step.fingerprint, attempts: rec?.attempts ?? 0 })
      await this.save()
      await this.journal('awaiting-approval', { step: step.id })
    }
    const instructions = typeof step.input.instructions === 'string' ? step.input.instructions : step.title
    return { outcome: 'paused', reason: 'approval', pausedAt: step.id, message: `${step.id} is a manual step: ${step.title}\n${instructions}\nWhen it is done: cutover approve <plan> ${step.id} --by <your name>, then apply again` }
  }

  /** Whether a cutover step may start now; waits for the window when asked to. */
  private async windowGate(step: Step, options: ApplyOptions, alreadyJournaled: boolean): Promise<'open' | 'ignored' | ApplyResult> {
    const { plan, clock } = this.setup
    for (;;) {
      const w = windowAt(plan, clock.now().getTime())
      if (w.state === 'open') return 'open'
      if (options.ignoreWindow === true) {
        if (!alreadyJournaled) await this.journal('ignore-window', { step: step.id, detail: { window: w.state } })
        return 'ignored'
      }
      if (w.state === 'before') {
        const wait = w.startMs - clock.now().getTime()
        if (options.wait === true) {
          this.emit({ type: 'step-log', id: step.id, line: `waiting ${Math.ceil(wait / 60_000)} min for the downtime window to open at ${new Date(w.startMs).toISOString()}` })
          await sleep(Math.min(wait, options.waitPollMs ?? 30_000))
          continue
        }
        return { outcome: 'paused', reason: 'window-not-open', pausedAt: step.id, message: `the downtime window opens at ${new Date(w.startMs).toISOString()} (in ${Math.ceil(wait / 60_000)} min); ${step.id} and the cutover steps after it wait for it. Run apply again then, or apply --wait` }
      }
      const why = w.state === 'closing'
        ? `less than the margin (${plan.downtime.margin}) is left in the downtime window`
        : `the downtime window ended at ${new Date(w.endMs).toISOString()}`
      await this.journal('window-refused', { step: step.id, detail: { window: w.state } })
      return { outcome: 'failed', failedStep: step.id, refused: true, error: `${why}: ${step.id} will not start. Plan a new window, or run apply --ignore-window if you accept the risk (it is journaled)` }
    }
  }

  private context(step: Step): RunContext {
    const { runtime, clock, artifactsDir, secrets } = this.setup
    const logFile = join(artifactsDir, 'logs', `${step.id}.log`)
    let logDirReady = false
    return {
      host: runtime.host,
      platform: this.setup.platform,
      sql: (store) => runtime.sql(store),
      backups: runtime.backups,
      clock,
      record: (id) => this.state.steps[id],
      artifactsDir,
      journal: () => this.setup.store.readJournal(),
      planState: this.state.plan,
      writeReport: () => this.setup.writeReport(),
      // Never aborted yet: Ctrl-C handling moves into the engine with its state machine.
      signal: new AbortController().signal,
      progress: (done, total, unit) => this.emit({ type: 'step-progress', id: step.id, done, total, unit }),
      log: (line) => {
        const clean = secrets.redact(line)
        this.emit({ type: 'step-log', id: step.id, line: clean })
        // Synchronous appends keep the log in order and hold nothing in memory, however much a
        // script prints; a line costs one write.
        if (!logDirReady) {
          mkdirSync(join(artifactsDir, 'logs'), { recursive: true })
          logDirReady = true
        }
        appendFileSync(logFile, `${clock.now().toISOString()} ${clean}\n`)
      },
    }
  }

  private kind(step: Step): StepKind {
    const kind = this.setup.kinds.find((k) => k.kind === step.kind)
    if (kind === undefined) throw new Error(`no step kind '${step.kind}' (step ${step.id})`)
    return kind
  }

  private record(step: Step): StepRecord {
    return this.state.steps[step.id] ?? { id: step.id, status: 'pending', fingerprint: step.fingerprint, attempts: 0 }
  }

  private put(rec: StepRecord): void {
    this.state = { ...this.state, steps: { ...this.state.steps, [rec.id]: rec } }
  }

  private async save(): Promise<void> {
    this.state = { ...this.state, updatedAt: this.nowIso() }
    await this.setup.store.save(this.state)
  }

  private async end(result: ApplyResult): Promise<ApplyResult> {
    await this.journal('apply-end', { outcome: result.outcome, ...(result.pausedAt === undefined ? {} : { step: result.pausedAt }), detail: { reason: result.reason ?? null } })
    if (result.outcome === 'paused') this.emit({ type: 'paused', ...(result.pausedAt === undefined ? {} : { id: result.pausedAt }), reason: result.reason ?? 'until', message: result.message ?? '' })
    this.emit({ type: 'run-end', outcome: result.outcome })
    return result
  }

  private async journal(event: string, extra: { step?: string; outcome?: string; detail?: JsonObject } = {}): Promise<void> {
    await this.setup.store.append({ at: this.nowIso(), who: this.who, host: hostname(), pid: process.pid, event, ...extra })
  }

  private emit(e: EngineEvent): void {
    this.setup.listener(e)
  }

  private nowIso(): string {
    return this.setup.clock.now().toISOString()
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
}
