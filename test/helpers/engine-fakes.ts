/**
 * Small fakes of cutover's OWN contracts for unit tests of the Engine: step kinds that record
 * what they were asked to do, a Runtime that talks to nothing, and a MemoryStateStore that
 * records every save on a shared timeline (and takes a moment to make it "durable", so an
 * engine that did not await a checkpoint would be caught running the step first).
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fingerprint } from '../../runner/core/hash.js'
import { Engine } from '../../runner/engine/engine.js'
import type { EngineEvent } from '../../runner/engine/events.js'
import type { Runtime } from '../../runner/core/runtime.js'
import { Secrets } from '../../runner/plan/secrets.js'
import { validatePlanText } from '../../runner/plan/load.js'
import type { Downtime, Plan } from '../../runner/plan/types.js'
import type { Clock } from '../../runner/core/clock.js'
import { MemoryStateStore } from '../../runner/state/memory-store.js'
import type { JournalEntry, RunState, StateStore } from '../../runner/state/types.js'
import type { JsonObject } from '../../runner/core/json.js'
import type { Phase, Step } from '../../runner/core/step.js'
import { stepId } from '../../runner/core/step.js'
import type { RunContext, StepKind, StepOutput } from '../../runner/steps/define.js'
import { ROOT } from './cli.js'

/** plans/lab.yaml as a validated Plan, with another downtime when asked. */
export function labPlan(downtime?: Partial<Downtime>): Plan {
  const r = validatePlanText(readFileSync(join(ROOT, 'plans', 'lab.yaml'), 'utf8'), 'plans/lab.yaml')
  if (r.plan === undefined) throw new Error(`plans/lab.yaml is invalid: ${JSON.stringify(r.findings)}`)
  return downtime === undefined ? r.plan : { ...r.plan, downtime: { ...r.plan.downtime, ...downtime } }
}

/** The lab plan's window is 2026-12-05T22:00..2026-12-06T06:00 America/New_York (EST, UTC-5). */
export const LAB_WINDOW = { start: '2026-12-06T03:00:00.000Z', end: '2026-12-06T11:00:00.000Z', lastStart: '2026-12-06T10:30:00.000Z' } as const
export const INSIDE = '2026-12-06T04:00:00.000Z'

export function fakeStep(id: string, kind: string, phase: Phase = 'cutover', input: JsonObject = {}): Step {
  const full = { id, ...input }
  return { id: stepId(kind, id), kind, phase, title: `title of ${id}`, input: full, fingerprint: fingerprint(kind, full) }
}

/** A shared record of what happened, in order, across the store and the kinds. */
export type Timeline = string[]

/** A MemoryStateStore that records every save (a copy) and logs `saved <id>=<status>` for each
 * step whose record changed, once the save is "durable" (after a short delay). */
export class RecordingStore extends MemoryStateStore {
  readonly saves: RunState[] = []
  private last: RunState | undefined

  constructor(readonly timeline: Timeline = [], initial?: ConstructorParameters<typeof MemoryStateStore>[0]) {
    super(initial)
    this.last = initial?.state
  }

  override async save(state: RunState): Promise<void> {
    await sleep(2)
    await super.save(state)
    const copy = JSON.parse(JSON.stringify(state)) as RunState
    this.saves.push(copy)
    for (const [id, rec] of Object.entries(copy.steps)) {
      const before = this.last?.steps[id]
      if (before === undefined || JSON.stringify(before) !== JSON.stringify(rec)) this.timeline.push(`saved ${id}=${rec.status}`)
    }
    this.last = copy
  }
}

export interface FakeBehaviour {
  idempotent?: boolean
  manual?: boolean
  irreversible?: boolean
  /** What run does; default: returns no outputs. Throw to fail. */
  run?: (step: Step, ctx: RunContext, call: number) => Promise<StepOutput> | StepOutput
  check?: (step: Step, ctx: RunContext) => Promise<boolean> | boolean
  recover?: boolean
  undo?: boolean
}

/** A step kind that logs `run <id>` / `ran <id>` / `check <id>` / `recover <id>` / `undo <id>`. */
export function fakeKind(name: string, timeline: Timeline, b: FakeBehaviour = {}): StepKind & { calls: Record<string, number> } {
  const calls: Record<string, number> = {}
  const kind: StepKind & { calls: Record<string, number> } = {
    kind: name,
    traits: { idempotent: b.idempotent ?? true, ...(b.manual === true ? { manual: true } : {}), ...(b.irreversible === true ? { irreversible: true } : {}) },
    calls,
    fromPlan: () => [],
    preview: () => [],
    async run(step, ctx) {
      const id = step.id
      calls[id] = (calls[id] ?? 0) + 1
      timeline.push(`run ${id}`)
      await sleep(1)
      try {
        return b.run === undefined ? {} : await b.run(step, ctx, calls[id] ?? 0)
      } finally {
        timeline.push(`ran ${id}`)
      }
    },
  }
  if (b.check !== undefined) {
    const check = b.check
    Object.assign(kind, { check: async (step: Step, ctx: RunContext) => { timeline.push(`check ${step.id}`); return await check(step, ctx) } })
  }
  if (b.recover === true) Object.assign(kind, { recover: async (step: Step) => { timeline.push(`recover ${step.id}`) } })
  if (b.undo === true) Object.assign(kind, { undo: async (step: Step, _ctx: RunContext, outputs: JsonObject | undefined) => { timeline.push(`undo ${step.id} ${JSON.stringify(outputs ?? null)}`) } })
  return kind
}

/** A Runtime that talks to nothing: the fake kinds never use it. */
export function fakeRuntime(): Runtime {
  const refuse = () => Promise.reject(new Error('the fake runtime has no stores'))
  return {
    host: { name: 'fake', run: refuse, close: () => Promise.resolve() },
    backups: { backup: refuse, restore: refuse },
    sql: refuse,
    close: () => Promise.resolve(),
  }
}

export interface EngineUnderTest {
  readonly engine: Engine
  readonly events: EngineEvent[]
}

export function makeEngine(opts: {
  steps: readonly Step[]
  kinds: readonly StepKind[]
  store: StateStore
  clock: Clock
  plan?: Plan
  secrets?: Secrets
  who?: string
}): EngineUnderTest {
  const events: EngineEvent[] = []
  const engine = new Engine({
    plan: opts.plan ?? labPlan(),
    planHash: 'test-plan-hash',
    steps: opts.steps,
    kinds: (name) => opts.kinds.find((k) => k.kind === name),
    store: opts.store,
    runtime: fakeRuntime(),
    platform: { joinPath: (dir, file) => `${dir}/${file}`, folderContents: (folder) => `${folder}/*`, previewBackup: (_store, label) => ({ type: 'backup', store: 'fake', to: label }) },
    writeReport: () => Promise.resolve('report.md'),
    clock: opts.clock,
    secrets: opts.secrets ?? new Secrets({}),
    artifactsDir: mkdtempSync(join(tmpdir(), 'cutover-engine-')),
    listener: (e) => events.push(e),
    who: opts.who ?? 'tester',
    command: 'cutover apply test.yaml',
  })
  return { engine, events }
}

/** A state holding the given records (for steps found running, failed, ...). */
export function stateWith(records: RunState['steps']): RunState {
  return { formatVersion: 1, plan: { name: 'lab', hash: 'old-hash' }, steps: records, createdAt: LAB_WINDOW.start, updatedAt: LAB_WINDOW.start }
}

/** A store's starting content: `state` and a journal that tells the same story (one
 * `journal-restored` entry per record), as a real run would have left them; the engine refuses a
 * state its journal does not back (state/history.ts). */
export function seeded(state: RunState): { readonly state: RunState; readonly journal: readonly JournalEntry[] } {
  const journal = Object.values(state.steps).map((rec): JournalEntry => ({
    at: state.createdAt, who: 'tester', host: 'test', pid: 1, event: 'journal-restored', step: rec.id, outcome: rec.status,
    detail: { restored: JSON.parse(JSON.stringify(rec)) as JsonObject },
  }))
  return { state, journal }
}
